// Live events: WebSocket when the client asks to upgrade, Server-Sent Events otherwise,
// at the same paths. Resume with ?after=N (or SSE's Last-Event-ID): per render N is the
// event's seq, for /api/v1/events its global id.
#include "platform/documents.hpp"
#include "platform/renders.hpp"
#include "server/event_stream.hpp"
#include "server/routes.hpp"
#include "server/stream_reply.hpp"

namespace kompo::server {

namespace {

// An unknown render is answered as any 404 is, before anything is upgraded.
void refuse(boost::beast::tcp_stream stream, const Request& request, const std::string& id) {
    write_reply_and_close(
        std::move(stream), request,
        Reply::error(http::status::not_found, "not_found", "render " + id + ": no such render"));
}

}  // namespace

void add_event_routes(Router& router, ServiceContext& services) {
    router.add(stream_route(
        "/api/v1/renders/{id}/events", [&services](auto stream, auto message, Request request) {
            // Called on the handler pool (HttpSession::pass_stream_on): reading the store
            // here stalls no other connection.
            const auto id = request.params["id"];
            bool known = false;
            try {
                known = platform::Renders(services.platform).owned(request.tenant(), id);
            } catch (...) {
                return write_reply_and_close(std::move(stream), request,
                                             reply_for_exception(std::current_exception()));
            }
            if (!known) return refuse(std::move(stream), request, id);
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
