#include "auth/principal.hpp"

namespace kompo::auth {

const char* kind_name(CredentialKind kind) {
    switch (kind) {
        case CredentialKind::session:
            return "session";
        case CredentialKind::api:
            return "api";
        case CredentialKind::worker:
            return "worker";
        case CredentialKind::sso:
            return "sso";
    }
    return "session";
}

// A worker token operates the platform (metrics) and nothing else, whoever minted it.
bool Principal::may(Permission permission) const {
    if (permission == Permission::none) return true;
    if (kind == CredentialKind::worker) return permission == Permission::operate;
    return role_allows(role, permission);
}

}  // namespace kompo::auth
