#include "auth/roles.hpp"

#include <array>

namespace kompo::auth {

namespace {

constexpr std::array kRoles{Role::viewer, Role::editor, Role::producer, Role::admin,
                            Role::platform_operator};
constexpr std::array kPermissions{Permission::read,  Permission::edit,  Permission::render,
                                  Permission::batch, Permission::admin, Permission::operate};

// Roles are ordered: each grants what the one before it does, and more.
Permission highest_permission(Role role) {
    switch (role) {
        case Role::viewer:
            return Permission::read;
        case Role::editor:
            return Permission::render;
        case Role::producer:
            return Permission::batch;
        case Role::admin:
            return Permission::admin;
        case Role::platform_operator:
            return Permission::operate;
    }
    return Permission::none;
}

}  // namespace

const char* role_name(Role role) {
    switch (role) {
        case Role::viewer:
            return "viewer";
        case Role::editor:
            return "editor";
        case Role::producer:
            return "producer";
        case Role::admin:
            return "admin";
        case Role::platform_operator:
            return "operator";
    }
    return "viewer";
}

std::optional<Role> role_from(const std::string& name) {
    for (const auto role : kRoles) {
        if (name == role_name(role)) return role;
    }
    return std::nullopt;
}

const char* permission_name(Permission permission) {
    switch (permission) {
        case Permission::none:
            return "none";
        case Permission::read:
            return "read";
        case Permission::edit:
            return "edit";
        case Permission::render:
            return "render";
        case Permission::batch:
            return "batch";
        case Permission::admin:
            return "admin";
        case Permission::operate:
            return "operate";
    }
    return "none";
}

bool role_allows(Role role, Permission permission) {
    return static_cast<int>(permission) <= static_cast<int>(highest_permission(role));
}

bool role_may_grant(Role granter, Role granted) {
    return role_allows(granter, highest_permission(granted));
}

std::vector<std::string> permissions_of(Role role) {
    std::vector<std::string> names;
    for (const auto permission : kPermissions) {
        if (role_allows(role, permission)) names.emplace_back(permission_name(permission));
    }
    return names;
}

}  // namespace kompo::auth
