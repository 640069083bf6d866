#include "platform/renders.hpp"
#include "server/metrics.hpp"
#include "server/openapi_document.hpp"
#include "server/routes.hpp"

namespace kompo::server {

// /healthz: the process answers. /readyz: the store answers a read and its schema is
// up to date (open_store migrates before the server starts, so a read is the check).
// /api/v1/openapi.json: the API described.
void add_health_routes(Router& router, ServiceContext& services) {
    router.add(route(http::verb::get, "/healthz",
                     [](Request&) {
                         return Reply::json(http::status::ok, {{"status", "ok"}});
                     })
                   .needs(auth::Permission::none)
                   .runs_inline());
    router.add(route(http::verb::get, "/readyz",
                     [&services](Request&) {
                         try {
                             platform::Renders(services.platform).feed_position();
                         } catch (const std::exception& e) {
                             return Reply::error(http::status::service_unavailable, "not_ready",
                                                 std::string("store: ") + e.what());
                         }
                         return Reply::json(http::status::ok, {{"status", "ready"}});
                     })
                   .needs(auth::Permission::none)
                   .runs_inline());
    router.add(route(http::verb::get, "/metrics", [&services](Request&) {
                   return Reply::text(http::status::ok, services.metrics.render_text(),
                                      "text/plain; version=0.0.4");
               }).needs(auth::Permission::operate));
    router.add(route(http::verb::get, "/api/v1/openapi.json",
                     [](Request&) {
                         return Reply::text(http::status::ok, openapi_document(),
                                            "application/json");
                     })
                   .needs(auth::Permission::none)
                   .runs_inline());
}

}  // namespace kompo::server
