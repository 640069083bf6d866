#include "server/render_start.hpp"

#include "server/audit_trail.hpp"

namespace kompo::server {

std::optional<std::string> start_render(ServiceContext& services, const Request& request,
                                        const platform::RenderStart& wanted) {
    const auto& who = request.caller();
    // A retried request with the same key is the render already counted, not a new one.
    const int counted = wanted.idempotency_key.empty() ? 1 : 0;
    auto held = wanted;
    held.storage_left = services.quotas.storage_left(who.tenant);
    auto id = services.quotas.start_renders(
        who.tenant, who.may(auth::Permission::batch), counted,
        [&] { return platform::Renders(services.platform).start(who.tenant, held); });
    if (id) audit_action(services, request, "render.start", wanted.komposition_id + " " + *id);
    return id;
}

}  // namespace kompo::server
