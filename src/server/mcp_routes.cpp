// /mcp: the Model Context Protocol's streamable HTTP transport, answering each POSTed
// JSON-RPC message with one JSON response (no server-sent stream, no session state: every
// request is authenticated on its own). Only API tokens of this server are accepted, and
// a browser page from another origin is refused (403) so a web page cannot drive a local
// server (DNS rebinding).
#include <boost/url/parse.hpp>

#include "assistant/mcp.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

bool loopback(const std::string& host) {
    return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1";
}

// No Origin (not a browser), a loopback page, or a page of this very host.
void check_origin(const Request& request) {
    const auto origin = request.header(http::field::origin);
    if (origin.empty()) return;
    const auto parsed = boost::urls::parse_absolute_uri(origin);
    bool allowed = false;
    if (parsed && (parsed->scheme() == "http" || parsed->scheme() == "https")) {
        const std::string host = parsed->host();
        std::string authority = host;
        if (parsed->has_port()) authority += ":" + std::string(parsed->port());
        allowed = loopback(host) || authority == request.header(http::field::host);
    }
    if (!allowed)
        throw HttpError(http::status::forbidden, "forbidden_origin",
                        "Origin " + origin.substr(0, 100) + " may not use /mcp");
}

void check_credentials(const Request& request) {
    if (request.caller().kind != auth::CredentialKind::api)
        throw HttpError(http::status::unauthorized, "unauthorized",
                        "/mcp needs an API token of this server (Authorization: Bearer)");
}

void check_version(const Request& request) {
    const auto version = request.header("MCP-Protocol-Version");
    if (!version.empty() && !assistant::mcp_version_supported(version))
        throw HttpError(http::status::bad_request, "unsupported_protocol_version",
                        "MCP-Protocol-Version " + version.substr(0, 40) + " is not supported");
}

}  // namespace

void add_mcp_routes(Router& router, std::shared_ptr<assistant::Assistant> assistant) {
    router.add(route(http::verb::post, "/mcp", [assistant](Request& request) {
                   check_origin(request);
                   check_credentials(request);
                   check_version(request);
                   assistant::McpServer server(*assistant, request.caller(),
                                               request.remote_address);
                   const auto answer = server.handle_text(request.body);
                   if (!answer) {
                       Reply accepted;
                       accepted.status = http::status::accepted;
                       return accepted;
                   }
                   return Reply::json(http::status::ok, *answer);
               }).needs(auth::Permission::read));
}

}  // namespace kompo::server
