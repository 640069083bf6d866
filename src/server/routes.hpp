#pragma once
// Each group of routes adds itself to the router; `add_routes` adds them all.
#include "server/router.hpp"
#include "server/service_context.hpp"

namespace kompo::server {

void add_routes(Router& router, ServiceContext& services);

void add_health_routes(Router& router, ServiceContext& services);
void add_auth_routes(Router& router, ServiceContext& services);
void add_admin_routes(Router& router, ServiceContext& services);
void add_komposition_routes(Router& router, ServiceContext& services);
void add_render_routes(Router& router, ServiceContext& services);
void add_event_routes(Router& router, ServiceContext& services);
void add_media_routes(Router& router, ServiceContext& services);
void add_upload_routes(Router& router, ServiceContext& services);
void add_elm_routes(Router& router, ServiceContext& services);
// The assistant (POST /api/v1/assistant/messages) and its MCP endpoint (/mcp).
void add_assistant_routes(Router& router, ServiceContext& services);
void add_analysis_routes(Router& router, ServiceContext& services);
// Last: with a web root, every other GET path is one of the app's files.
void add_static_routes(Router& router, ServiceContext& services);

}  // namespace kompo::server
