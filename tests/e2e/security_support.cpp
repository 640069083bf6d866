#include "e2e/security_support.hpp"

#include <stdexcept>

#include "support/support.hpp"
#include "support/ws_client.hpp"

namespace kompo::test {

Account add_account(const std::filesystem::path& data, const std::string& user,
                    const std::string& role, const std::string& tenant) {
    const auto added = kompo(
        {"user", "add", user, "--role", role, "--tenant", tenant, "--data-dir", data.string()});
    if (added.exit_code != 0) throw std::runtime_error("user add: " + added.err);
    const std::string marker = "password: ";
    const auto at = added.out.find(marker);
    if (at == std::string::npos) throw std::runtime_error("user add printed no password");
    auto password = added.out.substr(at + marker.size());
    password = password.substr(0, password.find_first_of(" \n"));
    return {password, new_token(data, user, tenant)};
}

std::string new_token(const std::filesystem::path& data, const std::string& user,
                      const std::string& tenant) {
    const auto token =
        kompo({"token", "add", "--user", user, "--tenant", tenant, "--data-dir", data.string()});
    if (token.exit_code != 0) throw std::runtime_error("token add: " + token.err);
    return token.out.substr(0, token.out.find('\n'));
}

HttpHeaders bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

std::string fill(std::string pattern, const std::map<std::string, std::string>& values) {
    for (const auto& [parameter, value] : values) {
        if (const auto at = pattern.find(parameter); at != std::string::npos) {
            pattern.replace(at, parameter.size(), value);
        }
    }
    return pattern;
}

Answer try_route(int port, const RouteEntry& route, const Attempt& attempt) {
    if (!route.stream) {
        const auto r =
            http_request(port, route.method, attempt.target, attempt.body, attempt.headers);
        return {r.status, r.body};
    }
    try {
        SseClient sse(port, attempt.target, attempt.headers);
        return {200, ""};
    } catch (const HttpStatusError& refused) {
        return {refused.status, refused.body};
    }
}

}  // namespace kompo::test
