// /api/v1/auth: sign in and out (a session cookie for the web app), who am I, and the
// caller's API tokens (the Elm editor's Authy, scripts) and worker tokens.
#include "auth/audit.hpp"
#include "auth/secrets.hpp"
#include "server/gatekeeper.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using auth::Permission;
using nlohmann::json;

bool secure_cookies(const ServiceContext& services, const Request& request) {
    const auto& mode = services.config.auth.secure_cookies;
    if (mode == "always") return true;
    if (mode == "never") return false;
    return request.header("X-Forwarded-Proto") == "https";
}

std::string session_cookie(const ServiceContext& services, const Request& request,
                           const std::string& value, std::int64_t max_age) {
    std::string cookie = std::string(kSessionCookie) + "=" + value +
                         "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age);
    if (secure_cookies(services, request)) cookie += "; Secure";
    return cookie;
}

json me_json(const auth::Principal& who, const std::string& session_secret) {
    json user{{"id", who.user_id},
              {"name", who.user_name},
              {"tenant", who.tenant},
              {"role", auth::role_name(who.role)},
              {"permissions", auth::permissions_of(who.role)}};
    json body{{"user", user}, {"credential", auth::kind_name(who.kind)}};
    if (!session_secret.empty()) body["csrf_token"] = auth::derived_token(session_secret, "csrf");
    return body;
}

std::string text_field(const json& body, const char* name, bool required = true) {
    if (body.contains(name) && body[name].is_string()) return body[name].get<std::string>();
    if (!required && !body.contains(name)) return "";
    throw HttpError(http::status::unprocessable_entity, "invalid_input",
                    std::string(name) + ": text is required", {{"field", name}});
}

void audit(ServiceContext& services, auth::AuditRecord record) {
    auth::record_audit(services.platform.account_store, record);
}

void check_login_rate(ServiceContext& services, const Request& request) {
    if (services.logins.allow(request.remote_address)) return;
    const auto wait = static_cast<long>(services.logins.wait_seconds(request.remote_address)) + 1;
    throw HttpError(http::status::too_many_requests, "rate_limited",
                    "Too many sign-in attempts from " + request.remote_address + ": try again in " +
                        std::to_string(wait) + " s.",
                    {{"retry_after", wait}});
}

Reply login(ServiceContext& services, Request& request) {
    check_login_rate(services, request);
    const auto body = request.json_body();
    const auto name = text_field(body, "username");
    const auto password = text_field(body, "password");
    const auto tenant = text_field(body, "tenant", false);
    auth::AuditRecord record{name,          tenant, "login", name, "ok", request.remote_address,
                             json::object()};
    try {
        const auto issued = services.accounts.login(name, password, tenant);
        const auto who = services.accounts.authenticate(issued.secret);
        if (!who) throw auth::LoginRefused("This account cannot sign in.", 0);
        record.tenant = who->tenant;
        audit(services, record);
        const auto max_age = std::max<std::int64_t>(
            1, static_cast<std::int64_t>(services.config.auth.session_hours * 3600));
        return Reply::json(http::status::ok, me_json(*who, issued.secret))
            .header("Set-Cookie", session_cookie(services, request, issued.secret, max_age))
            .header("Cache-Control", "no-store");
    } catch (const auth::LoginRefused& refused) {
        // Failed logins of a user show in their tenant's log, for its admins to see.
        if (const auto user = services.accounts.find(name); user && !user->memberships.empty()) {
            record.tenant = user->memberships.front().tenant;
        }
        record.outcome = "refused";
        record.detail = {{"reason", refused.what()}};
        audit(services, record);
        if (refused.retry_after_seconds > 0) {
            throw HttpError(http::status::too_many_requests, "locked", refused.what(),
                            {{"retry_after", refused.retry_after_seconds}});
        }
        throw HttpError(http::status::unauthorized, "unauthorized", refused.what());
    }
}

Reply logout(ServiceContext& services, Request& request) {
    const auto& who = request.caller();
    services.accounts.revoke(who, who.credential_id);
    audit(services, auth::audit_of(who, "logout", who.user_name, request.remote_address));
    Reply reply;
    reply.status = http::status::no_content;
    return reply.header("Set-Cookie", session_cookie(services, request, "", 0));
}

Reply me(ServiceContext&, Request& request) {
    const auto& who = request.caller();
    const auto secret =
        who.kind == auth::CredentialKind::session ? Gatekeeper::session_cookie(request) : "";
    return Reply::json(http::status::ok, me_json(who, secret)).header("Cache-Control", "no-store");
}

json token_json(const auth::Credential& c) {
    return {{"id", c.id},
            {"kind", c.kind},
            {"label", c.label},
            {"tenant", c.tenant},
            {"created_at", c.created_at},
            {"expires_at", c.expires_at},
            {"revoked_at", c.revoked_at},
            {"last_used_at", c.last_used_at}};
}

Reply list_tokens(ServiceContext& services, Request& request) {
    const auto& who = request.caller();
    json items = json::array();
    for (const auto& c : services.accounts.credentials_of(who.user_id)) {
        if (c.tenant == who.tenant && c.revoked_at == 0) items.push_back(token_json(c));
    }
    return Reply::json(http::status::ok, {{"items", items}});
}

Reply create_token(ServiceContext& services, Request& request) {
    const auto& who = request.caller();
    const auto body = request.json_body();
    const auto kind_text = body.is_object() ? body.value("kind", std::string("api")) : "api";
    if (kind_text != "api" && kind_text != "worker") {
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        "kind: \"" + kind_text + "\" is not api or worker", {{"field", "kind"}});
    }
    const auto kind = kind_text == "api" ? auth::CredentialKind::api : auth::CredentialKind::worker;
    if (kind == auth::CredentialKind::worker && !who.may(Permission::operate)) {
        throw HttpError(http::status::forbidden, "forbidden",
                        "permission \"operate\" is needed to make worker tokens",
                        {{"permission", "operate"}});
    }
    const auto label = body.is_object() ? body.value("label", std::string()) : "";
    const auto ttl_days = body.is_object() ? body.value("ttl_days", 0.0) : 0.0;
    const auto issued =
        services.accounts.issue(who, kind, label, static_cast<std::int64_t>(ttl_days * 86400));
    auto record = auth::audit_of(who, "token.create", issued.credential.id, request.remote_address);
    record.detail = {{"kind", kind_text}, {"label", label}};
    audit(services, record);
    auto shown = token_json(issued.credential);
    shown["token"] = issued.secret;
    return Reply::json(http::status::created, shown)
        .header("Location", "/api/v1/auth/tokens/" + issued.credential.id)
        .header("Cache-Control", "no-store");
}

Reply revoke_token(ServiceContext& services, Request& request) {
    const auto& who = request.caller();
    const auto id = request.params["id"];
    if (!services.accounts.revoke(who, id)) {
        return Reply::error(http::status::not_found, "not_found",
                            "token " + id + ": no such token");
    }
    audit(services, auth::audit_of(who, "token.revoke", id, request.remote_address));
    Reply reply;
    reply.status = http::status::no_content;
    return reply;
}

template <typename Handler>
std::function<Reply(Request&)> with(ServiceContext& services, Handler handler) {
    return [&services, handler](Request& request) { return handler(services, request); };
}

}  // namespace

void add_auth_routes(Router& router, ServiceContext& services) {
    router.add(route(http::verb::post, "/api/v1/auth/login", with(services, login))
                   .needs(Permission::none));
    router.add(route(http::verb::post, "/api/v1/auth/logout", with(services, logout))
                   .needs(Permission::read));
    router.add(route(http::verb::get, "/api/v1/auth/me", with(services, me)));
    router.add(route(http::verb::get, "/api/v1/auth/tokens", with(services, list_tokens)));
    router.add(route(http::verb::post, "/api/v1/auth/tokens", with(services, create_token))
                   .needs(Permission::read));
    router.add(route(http::verb::delete_, "/api/v1/auth/tokens/{id}", with(services, revoke_token))
                   .needs(Permission::read));
}

}  // namespace kompo::server
