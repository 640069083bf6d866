#pragma once
// Starting a render for the caller, from the REST API or the Elm editor's createvideo:
// held to the tenant's quotas, recorded in the audit log.
#include <optional>
#include <string>

#include "platform/renders.hpp"
#include "server/http_types.hpp"
#include "server/service_context.hpp"

namespace kompo::server {

// The render's id; nullopt when the tenant has no such komposition. Throws
// platform::QuotaExceeded (429) when over a quota.
std::optional<std::string> start_render(ServiceContext& services, const Request& request,
                                        const platform::RenderStart& wanted);

}  // namespace kompo::server
