#pragma once
// Routes: a method and a path pattern ("/api/v1/renders/{id}") to a handler. The route
// table is also what the OpenAPI document is checked against, so it is data, not code.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/core/tcp_stream.hpp>

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

class Router {
  public:
    void add(Route route);
    // Decodes each segment (%2F stays inside its segment) before it is a parameter.
    RouteMatch match(http::verb method, const std::string& encoded_path) const;
    const std::vector<Route>& routes() const { return routes_; }

  private:
    std::vector<Route> routes_;
};

}  // namespace kompo::server
