// Live events: WebSocket when the client asks to upgrade, Server-Sent Events otherwise,
// at the same paths. Resume with ?after=N (or SSE's Last-Event-ID): per render N is the
// event's seq, for /api/v1/events its global id.
#include <boost/asio/write.hpp>

#include "platform/documents.hpp"
#include "platform/renders.hpp"
#include "server/event_stream.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

// An unknown render is answered as any 404 is, before anything is upgraded.
void refuse(boost::beast::tcp_stream stream, const Request& request, const std::string& id) {
    auto response =
        std::make_shared<http::response<http::string_body>>(http::status::not_found, 11);
    response->set(http::field::content_type, "application/json");
    response->set("X-Request-Id", request.request_id);
    response->body() =
        nlohmann::json{{"error", "not_found"}, {"message", "render " + id + ": no such render"}}
            .dump();
    response->keep_alive(false);
    response->prepare_payload();
    auto owned = std::make_shared<boost::beast::tcp_stream>(std::move(stream));
    http::async_write(*owned, *response, [owned, response](boost::beast::error_code, std::size_t) {
        boost::beast::error_code ignored;
        owned->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    });
}

}  // namespace

void add_event_routes(Router& router, ServiceContext& services) {
    router.add(stream_route(
        "/api/v1/renders/{id}/events", [&services](auto stream, auto message, Request request) {
            const auto id = request.params["id"];
            if (!platform::Renders(services.platform).get(platform::kDefaultTenant, id)) {
                return refuse(std::move(stream), request, id);
            }
            start_event_stream(std::move(stream), std::move(message), request, services,
                               services.connections, id);
        }));
    router.add(
        stream_route("/api/v1/events", [&services](auto stream, auto message, Request request) {
            start_event_stream(std::move(stream), std::move(message), request, services,
                               services.connections, "");
        }));
}

}  // namespace kompo::server
