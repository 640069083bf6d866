#include "server/audit_trail.hpp"

#include "auth/audit.hpp"

namespace kompo::server {

void audit_action(ServiceContext& services, const Request& request, const std::string& action,
                  const std::string& target) {
    auth::record_audit(services.platform.account_store,
                       auth::audit_of(request.caller(), action, target, request.remote_address));
}

}  // namespace kompo::server
