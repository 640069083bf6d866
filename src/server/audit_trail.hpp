#pragma once
// What handlers append to the audit log: the caller, the action, what it touched.
#include <string>

#include "server/http_types.hpp"
#include "server/service_context.hpp"

namespace kompo::server {

void audit_action(ServiceContext& services, const Request& request, const std::string& action,
                  const std::string& target);

}  // namespace kompo::server
