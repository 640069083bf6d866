// A tenant's administration: its members and their roles, its audit log, its quotas.
// Everything here is confined to the admin's own tenant.
#include "auth/audit.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using auth::Permission;
using nlohmann::json;

// The user as their tenant sees them: disabled everywhere, or in this tenant.
json member_json(const auth::UserView& view, const std::string& tenant) {
    std::string role;
    bool disabled = view.user.disabled;
    for (const auto& m : view.memberships) {
        if (m.tenant != tenant) continue;
        role = auth::membership_role(m);
        disabled = disabled || auth::membership_disabled(m);
    }
    return {{"id", view.user.id},
            {"name", view.user.name},
            {"role", role},
            {"disabled", disabled},
            {"created_at", view.user.created_at}};
}

bool member_of(const auth::UserView& view, const std::string& tenant) {
    for (const auto& m : view.memberships) {
        if (m.tenant == tenant) return true;
    }
    return false;
}

// A user of another tenant is as unknown as one that does not exist.
auth::UserView member(ServiceContext& services, const Request& request) {
    const auto name = request.params.at("name");
    const auto view = services.accounts.find(name);
    if (!view || !member_of(*view, request.tenant())) {
        throw HttpError(http::status::not_found, "not_found", "user " + name + ": no such user");
    }
    return *view;
}

Reply list_users(ServiceContext& services, Request& request) {
    json items = json::array();
    for (const auto& view : services.accounts.list()) {
        if (member_of(view, request.tenant())) items.push_back(member_json(view, request.tenant()));
    }
    return Reply::json(http::status::ok, {{"items", items}});
}

std::string text_of(const json& body, const char* name) {
    if (body.is_object() && body.contains(name) && body[name].is_string()) return body[name];
    throw HttpError(http::status::unprocessable_entity, "invalid_input",
                    std::string(name) + ": text is required", {{"field", name}});
}

// A tenant admin gives, changes and takes roles up to their own: the platform
// operator's is not theirs.
void check_grantable(const std::string& role, const Request& request) {
    const auto wanted = auth::role_from(role);
    if (wanted && !auth::role_may_grant(request.caller().role, *wanted)) {
        throw HttpError(http::status::forbidden, "forbidden",
                        "role: \"" + role + "\" needs the permission \"operate\" to give or change",
                        {{"permission", "operate"}, {"field", "role"}});
    }
}

std::string grantable_role(const json& body, const Request& request) {
    auto role = text_of(body, "role");
    check_grantable(role, request);
    return role;
}

Reply add_user(ServiceContext& services, Request& request) {
    const auto body = request.json_body();
    // In the tenant's own namespace: a conflict can only be one of its own members.
    const auto name = auth::name_in_tenant(text_of(body, "name"), request.tenant());
    if (services.accounts.find(name)) {
        throw HttpError(http::status::conflict, "conflict", "name: user \"" + name + "\" exists",
                        {{"field", "name"}});
    }
    services.accounts.add_user(name, text_of(body, "password"), request.tenant(),
                               grantable_role(body, request));
    auto record = auth::audit_of(request.caller(), "user.add", name, request.remote_address);
    record.detail = {{"role", body["role"]}};
    auth::record_audit(services.platform.account_store, record);
    const auto view = services.accounts.find(name);
    return Reply::json(http::status::created, member_json(*view, request.tenant()))
        .header("Location", "/api/v1/users/" + name);
}

Reply change_user(ServiceContext& services, Request& request) {
    const auto view = member(services, request);
    check_grantable(member_json(view, request.tenant())["role"], request);
    const auto body = request.json_body();
    if (!body.is_object()) {
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        "body: an object with role and/or disabled is required");
    }
    auto record =
        auth::audit_of(request.caller(), "user.change", view.user.name, request.remote_address);
    if (body.contains("role")) {
        services.accounts.grant(view.user.name, request.tenant(), grantable_role(body, request));
        record.detail["role"] = body["role"];
    }
    if (body.contains("disabled")) {
        if (!body["disabled"].is_boolean()) {
            throw HttpError(http::status::unprocessable_entity, "invalid_input",
                            "disabled: true or false", {{"field", "disabled"}});
        }
        services.accounts.set_member_disabled(view.user.name, request.tenant(),
                                              body["disabled"].get<bool>());
        record.detail["disabled"] = body["disabled"];
    }
    auth::record_audit(services.platform.account_store, record);
    return Reply::json(http::status::ok,
                       member_json(*services.accounts.find(view.user.name), request.tenant()));
}

Reply read_audit(ServiceContext& services, Request& request) {
    auth::AuditQuery query;
    query.tenant = request.tenant();
    query.actor = request.query_value("actor");
    query.limit = page_limit(request);
    try {
        query.after_id = std::stoll(request.query_value("after", "0"));
    } catch (const std::exception&) {
        throw HttpError(http::status::bad_request, "bad_parameter", "after: not an entry id");
    }
    const auto entries = auth::audit_entries(services.platform.account_store, query);
    json items = json::array();
    for (const auto& e : entries) {
        items.push_back({{"id", e.id},
                         {"at", e.at},
                         {"actor", e.actor},
                         {"action", e.action},
                         {"target", e.target},
                         {"outcome", e.outcome},
                         {"remote", e.remote},
                         {"detail", json::parse(e.detail, nullptr, false)}});
    }
    json page{{"items", items}};
    if (entries.size() == query.limit) page["next"] = entries.back().id;
    return Reply::json(http::status::ok, page);
}

Reply read_quota(ServiceContext& services, Request& request) {
    const auto limits = services.quotas.limits(request.tenant());
    const auto used = services.quotas.usage(request.tenant());
    return Reply::json(http::status::ok, {{"tenant", request.tenant()},
                                          {"limits",
                                           {{"storage_bytes", limits.storage_bytes},
                                            {"concurrent_renders", limits.concurrent_renders},
                                            {"renders_per_day", limits.renders_per_day},
                                            {"upload_bytes", limits.upload_bytes}}},
                                          {"usage",
                                           {{"storage_bytes", used.storage_bytes},
                                            {"running_renders", used.running_renders},
                                            {"renders_today", used.renders_today}}}});
}

template <typename Handler>
std::function<Reply(Request&)> with(ServiceContext& services, Handler handler) {
    return [&services, handler](Request& request) { return handler(services, request); };
}

}  // namespace

void add_admin_routes(Router& router, ServiceContext& services) {
    router.add(route(http::verb::get, "/api/v1/users", with(services, list_users))
                   .needs(Permission::admin));
    router.add(route(http::verb::post, "/api/v1/users", with(services, add_user))
                   .needs(Permission::admin));
    router.add(route(http::verb::patch, "/api/v1/users/{name}", with(services, change_user))
                   .needs(Permission::admin));
    router.add(route(http::verb::get, "/api/v1/audit", with(services, read_audit))
                   .needs(Permission::admin));
    router.add(route(http::verb::get, "/api/v1/quota", with(services, read_quota)));
}

}  // namespace kompo::server
