#include "server/render_start.hpp"

#include "server/audit_trail.hpp"

namespace kompo::server {

std::optional<std::string> start_render(ServiceContext& services, const Request& request,
                                        const platform::RenderStart& wanted) {
    const auto& who = request.caller();
    // A retried request with the same key is the render already counted, not a new one.
    if (wanted.idempotency_key.empty()) {
        services.quotas.check_render_start(who.tenant, who.may(auth::Permission::batch));
    }
    auto id = platform::Renders(services.platform).start(who.tenant, wanted);
    if (id) audit_action(services, request, "render.start", wanted.komposition_id + " " + *id);
    return id;
}

}  // namespace kompo::server
