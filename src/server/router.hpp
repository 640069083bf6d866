#pragma once
// Routes: a method and a path pattern ("/api/v1/renders/{id}") to a handler. The route
// table is also what the OpenAPI document is checked against, so it is data, not code.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/core/tcp_stream.hpp>

#include "auth/roles.hpp"
#include "server/http_types.hpp"

namespace kompo::server {

enum class BodyKind {
    json,    // read whole, up to server.max_body_bytes
    upload,  // streamed to a temporary file, up to server.max_upload_bytes
};

// A long-lived response (WebSocket, Server-Sent Events): takes the connection over.
using StreamHandler = std::function<void(
    boost::beast::tcp_stream stream, http::request<http::string_body> message, Request request)>;

struct Route {
    http::verb method = http::verb::get;
    std::string pattern;  // "{name}" matches one segment; a final "{name...}" the rest
    BodyKind body = BodyKind::json;
    std::function<Reply(Request&)> handler;
    StreamHandler stream;    // when set, used instead of `handler`
    bool documented = true;  // listed in the OpenAPI document
    // What the caller must be allowed; route() sets read for GET/HEAD, edit otherwise.
    auth::Permission permission = auth::Permission::read;

    // Answered on the connection's I/O strand instead of the handler pool: for handlers
    // that do not block (no file work, only brief store reads, which never wait for a
    // write), where the hop to the pool and back costs more than the handler.
    bool inline_ok = false;
    // Upload routes: checks the announced Content-Length of an admitted caller before a
    // byte of the body is read (a quota refuses it before it costs disk); throws to refuse.
    std::function<void(const Request& request, std::uint64_t announced_bytes)> admit_body;

    Route& needs(auth::Permission wanted) {
        permission = wanted;
        return *this;
    }
    Route& runs_inline() {
        inline_ok = true;
        return *this;
    }
};

// A route answered by `handler` (the usual kind).
Route route(http::verb method, std::string pattern, std::function<Reply(Request&)> handler,
            BodyKind body = BodyKind::json);
// A route that takes its connection over (WebSocket, Server-Sent Events).
Route stream_route(std::string pattern, StreamHandler stream);

struct RouteMatch {
    const Route* route = nullptr;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path (so: 405, not 404)
};

// Runs before every handler of the routes added after it is set: it authenticates the
// caller into Request::principal and throws HttpError (401, 403, 429) to refuse. One
// place, so no route can forget it.
using RouteGuard = std::function<void(const Route& route, Request& request)>;

class Router {
  public:
    void set_guard(RouteGuard guard) { guard_ = std::move(guard); }
    // The guard alone, before a body is read: an upload is refused before it costs disk.
    void admit(const Route& route, Request& request) const {
        if (guard_) guard_(route, request);
    }
    void add(Route route);
    // Decodes each segment (%2F stays inside its segment) before it is a parameter.
    RouteMatch match(http::verb method, const std::string& encoded_path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> patterns_;  // each route's pattern, split once
    RouteGuard guard_;
};

}  // namespace kompo::server
