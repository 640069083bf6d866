#pragma once
// Who is asking: the user, the tenant the credential is for, and the role there.
#include <string>

#include "auth/roles.hpp"

namespace kompo::auth {

enum class CredentialKind { session, api, worker, sso };

const char* kind_name(CredentialKind kind);

struct Principal {
    std::string user_id;
    std::string user_name;
    std::string tenant;
    Role role = Role::viewer;
    CredentialKind kind = CredentialKind::session;
    std::string credential_id;  // empty for single sign-on tokens (not stored)

    bool may(Permission permission) const;
};

}  // namespace kompo::auth
