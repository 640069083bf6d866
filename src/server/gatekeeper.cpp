#include "server/gatekeeper.hpp"

#include <algorithm>

#include <boost/beast/core/string.hpp>

#include "auth/audit.hpp"
#include "auth/secrets.hpp"

namespace kompo::server {

namespace {

bool changes_something(http::verb method) {
    return method != http::verb::get && method != http::verb::head && method != http::verb::options;
}

std::string bearer_of(const Request& request) {
    const auto value = request.header(http::field::authorization);
    constexpr std::string_view scheme = "Bearer ";
    if (value.size() <= scheme.size() || !value.starts_with(scheme)) return "";
    return value.substr(scheme.size());
}

bool looks_like_jwt(const std::string& token) {
    return std::count(token.begin(), token.end(), '.') == 2;
}

// A browser sends the cookie along with a WebSocket handshake that another site's page
// starts (CSRF does not cover it: the handshake is a GET); its Origin says whose page.
// Clients that are not browsers send no Origin.
void check_websocket_origin(const Request& request) {
    if (!boost::beast::iequals(request.header(http::field::upgrade), "websocket")) return;
    auto origin = request.header(http::field::origin);
    if (origin.empty()) return;
    for (std::string_view scheme : {"https://", "http://"}) {
        if (origin.starts_with(scheme)) origin.erase(0, scheme.size());
    }
    if (boost::beast::iequals(origin, request.header(http::field::host))) return;
    throw HttpError(http::status::forbidden, "origin",
                    "origin: a page of " + request.header(http::field::origin) +
                        " may not open this stream with your session");
}

[[noreturn]] void unauthorized(const std::string& message) {
    throw HttpError(http::status::unauthorized, "unauthorized", message);
}

}  // namespace

Gatekeeper::Gatekeeper(auth::Accounts& accounts, auth::AccountStore& store,
                       const platform::AuthSettings& settings, SsoVerifier sso)
    : accounts_(accounts),
      store_(store),
      sso_(std::move(sso)),
      per_user_(settings.api_per_second, settings.api_per_second * 4),
      // Several users may share an address (an office, a NAT): four users' worth.
      per_address_(settings.api_per_second * 4, settings.api_per_second * 16) {}

std::string Gatekeeper::session_cookie(const Request& request) {
    const auto cookies = request.header(http::field::cookie);
    const std::string wanted = std::string(kSessionCookie) + "=";
    std::size_t at = 0;
    while (at < cookies.size()) {
        while (at < cookies.size() && (cookies[at] == ' ' || cookies[at] == ';')) ++at;
        const auto end = std::min(cookies.find(';', at), cookies.size());
        if (cookies.compare(at, wanted.size(), wanted) == 0) {
            return cookies.substr(at + wanted.size(), end - at - wanted.size());
        }
        at = end;
    }
    return "";
}

std::optional<auth::Principal> Gatekeeper::identify(const Request& request, bool& by_cookie) {
    by_cookie = false;
    if (const auto bearer = bearer_of(request); !bearer.empty()) {
        if (looks_like_jwt(bearer)) {
            if (!sso_) unauthorized("Authorization: single sign-on is not configured");
            const auto subject = sso_(bearer);  // throws HttpError naming what failed
            const auto principal =
                subject ? accounts_.principal_for_subject(*subject) : std::nullopt;
            if (!principal) unauthorized("Authorization: no user is linked to this sign-on");
            return principal;
        }
        const auto principal = accounts_.authenticate(bearer);
        if (!principal) unauthorized("Authorization: token not valid (expired or revoked?)");
        return principal;
    }
    if (const auto authy = request.header("Authy"); !authy.empty()) {
        const auto principal = accounts_.authenticate(authy);
        if (!principal) unauthorized("Authy: token not valid");
        return principal;
    }
    if (const auto cookie = session_cookie(request); !cookie.empty()) {
        auto principal = accounts_.authenticate(cookie);
        if (!principal || principal->kind != auth::CredentialKind::session) {
            unauthorized("session: expired or signed out; sign in again");
        }
        by_cookie = true;
        return principal;
    }
    return std::nullopt;
}

// The CSRF token is derived from the session secret: a page of another site can make the
// browser send the cookie, but cannot read it, so it cannot know the token.
void Gatekeeper::check_csrf(const Request& request) const {
    const auto expected = auth::derived_token(session_cookie(request), "csrf");
    if (!auth::equal_in_constant_time(request.header(kCsrfHeader), expected)) {
        throw HttpError(
            http::status::forbidden, "csrf",
            std::string(kCsrfHeader) + ": missing or wrong (send the csrf_token of your session)");
    }
}

namespace {

// Admits one request of `key` (shown as `who`), or refuses it with when to try again.
void take_or_refuse(auth::RateLimiter& limiter, const std::string& key, const std::string& who) {
    if (limiter.allow(key)) return;
    const auto wait = static_cast<long>(limiter.wait_seconds(key)) + 1;
    throw HttpError(
        http::status::too_many_requests, "rate_limited",
        "rate limit: too many requests from " + who + "; retry in " + std::to_string(wait) + " s",
        {{"retry_after", wait}});
}

}  // namespace

void Gatekeeper::check_rate(const auth::Principal& principal) {
    take_or_refuse(per_user_, principal.user_id, principal.user_name);
}

void Gatekeeper::check_address_rate(const Request& request) {
    take_or_refuse(per_address_, request.remote_address, request.remote_address);
}

void Gatekeeper::deny(const Route& route, const Request& request) {
    const auto& who = *request.principal;
    auto record = auth::audit_of(who, "permission.denied",
                                 std::string(http::to_string(request.method)) + " " + request.path,
                                 request.remote_address);
    record.outcome = "refused";
    record.detail = {{"permission", auth::permission_name(route.permission)},
                     {"role", auth::role_name(who.role)}};
    auth::record_audit(store_, record);
    throw HttpError(http::status::forbidden, "forbidden",
                    std::string("permission \"") + auth::permission_name(route.permission) +
                        "\" is needed; " +
                        (who.kind == auth::CredentialKind::worker
                             ? std::string("a worker token")
                             : "the role " + std::string(auth::role_name(who.role))) +
                        " does not have it",
                    {{"permission", auth::permission_name(route.permission)}});
}

void Gatekeeper::admit(const Route& route, Request& request) {
    const bool public_route = route.permission == auth::Permission::none;
    check_address_rate(request);
    bool by_cookie = false;
    try {
        request.principal = identify(request, by_cookie);
    } catch (const HttpError&) {
        if (!public_route) throw;
        return;  // a stale cookie must not lock anyone out of the login page
    }
    if (public_route) return;
    if (!request.principal) unauthorized("sign in: no valid session or token");
    check_rate(*request.principal);
    if (by_cookie && changes_something(request.method)) check_csrf(request);
    if (by_cookie) check_websocket_origin(request);
    if (!request.principal->may(route.permission)) deny(route, request);
}

}  // namespace kompo::server
