#include "server/routes.hpp"

namespace kompo::server {

void add_routes(Router& router, ServiceContext& services) {
    add_health_routes(router, services);
    add_auth_routes(router, services);
    add_admin_routes(router, services);
    add_komposition_routes(router, services);
    add_render_routes(router, services);
    add_event_routes(router, services);
    add_media_routes(router, services);
    add_upload_routes(router, services);
    add_elm_routes(router, services);
    add_assistant_routes(router, services);
    add_analysis_routes(router, services);
    add_static_routes(router, services);
}

}  // namespace kompo::server
