#pragma once
// Roles within a tenant and the permissions each grants. Routes ask for a permission,
// never a role, so a new role is one line here. `operator` is the platform's, not a
// tenant's: only it sees what spans every tenant (/metrics), and only the command line
// (or another operator) gives it.
#include <optional>
#include <string>
#include <vector>

namespace kompo::auth {

enum class Role { viewer, editor, producer, admin, platform_operator };

enum class Permission {
    none,     // public: health, the login page's own calls
    read,     // see kompositions, media, renders
    edit,     // change kompositions, upload media
    render,   // start and cancel renders
    batch,    // start many renders in one request
    admin,    // the tenant's users, tokens of others, quotas, the audit log
    operate,  // the platform's: scrape /metrics (operators and their worker tokens)
};

const char* role_name(Role role);
std::optional<Role> role_from(const std::string& name);
const char* permission_name(Permission permission);

bool role_allows(Role role, Permission permission);
// Whether `granter` may give `granted` to someone: only roles that grant nothing more.
bool role_may_grant(Role granter, Role granted);
// The names of every permission the role grants, for clients that hide what they can't do.
std::vector<std::string> permissions_of(Role role);

}  // namespace kompo::auth
