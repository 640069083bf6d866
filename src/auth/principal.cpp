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

// A worker token operates the platform (metrics) and nothing else, and only while its
// user is an operator: a tenant admin's worker token (made before operators existed, or
// after a demotion) scrapes nothing.
bool Principal::may(Permission permission) const {
    if (permission == Permission::none) return true;
    if (kind == CredentialKind::worker && permission != Permission::operate) return false;
    return role_allows(role, permission);
}

}  // namespace kompo::auth
