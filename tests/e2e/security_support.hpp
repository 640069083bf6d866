#pragma once
// What the security tests share: accounts and tokens made the operator's way (the CLI),
// and one attempt on one route of the table (the matrices) with its answer.
#include <filesystem>
#include <map>
#include <string>

#include "server_routes/route_table.hpp"
#include "support/http_client.hpp"

namespace kompo::test {

struct Account {
    std::string password;
    std::string token;
};

// A user made with `kompo user add` (a generated password), with an API token of theirs.
Account add_account(const std::filesystem::path& data, const std::string& user,
                    const std::string& role, const std::string& tenant);
// Another API token of the user in the tenant (`kompo token add`).
std::string new_token(const std::filesystem::path& data, const std::string& user,
                      const std::string& tenant);
HttpHeaders bearer(const std::string& token);

// The pattern with its parameters filled from `values` ("{id}" -> values["{id}"] etc.).
std::string fill(std::string pattern, const std::map<std::string, std::string>& values);

struct Attempt {
    std::string target;
    std::string body;
    HttpHeaders headers;
};

struct Answer {
    int status = 0;
    std::string body;
};

// The attempt on the route: a stream route is opened as Server-Sent Events (its status,
// or the refusal), any other one is a plain request.
Answer try_route(int port, const RouteEntry& route, const Attempt& attempt);

}  // namespace kompo::test
