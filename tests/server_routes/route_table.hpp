#pragma once
// The server's own route table, as the server builds it (src/server/routes.cpp): what
// the security matrices enumerate, so a route added later is covered without anyone
// listing it, undocumented ones (the web app's files) included.
#include <string>
#include <vector>

namespace kompo::test {

struct RouteEntry {
    std::string method;      // "GET", "POST", ... (a stream route is a GET)
    std::string pattern;     // "/api/v1/renders/{id}", "/{path...}"
    std::string permission;  // auth::permission_name
    bool documented = true;  // in the OpenAPI document
    bool stream = false;     // WebSocket / Server-Sent Events

    std::string name() const { return method + " " + pattern; }
};

// Every route of a server started with `web_root` (the static routes exist only with one).
std::vector<RouteEntry> server_route_table(const std::string& web_root = "");

}  // namespace kompo::test
