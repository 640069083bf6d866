#pragma once
// Who is asking, and may they: runs before every route's handler (Router::set_guard).
// Credentials, in order: `Authorization: Bearer` (an API token, a worker token, or a
// single sign-on JWT), `Authy` (the Elm editor's API token), the session cookie. Cookie
// sessions must also send their CSRF token on every request that changes something.
#include <functional>
#include <optional>
#include <string>

#include "auth/accounts.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/rows.hpp"
#include "platform/config.hpp"
#include "server/router.hpp"

namespace kompo::server {

inline constexpr const char* kSessionCookie = "kompo_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

// Verifies a single sign-on JWT; the user's external subject ("<issuer> <sub>") or nullopt.
using SsoVerifier = std::function<std::optional<std::string>(const std::string& jwt)>;

class Gatekeeper {
  public:
    Gatekeeper(auth::Accounts& accounts, auth::AccountStore& store,
               const platform::AuthSettings& settings, SsoVerifier sso = {});

    // Sets request.principal from its credentials; throws HttpError 401 (no or bad
    // credentials on a route that needs some), 403 (permission missing, CSRF) or 429.
    void admit(const Route& route, Request& request);
    // The session token of the request's cookie ("" when none).
    static std::string session_cookie(const Request& request);

  private:
    std::optional<auth::Principal> identify(const Request& request, bool& by_cookie);
    void check_csrf(const Request& request) const;
    void check_rate(const auth::Principal& principal);
    void check_address_rate(const Request& request);
    [[noreturn]] void deny(const Route& route, const Request& request);

    auth::Accounts& accounts_;
    auth::AccountStore& store_;
    SsoVerifier sso_;
    auth::RateLimiter per_user_;
    auth::RateLimiter per_address_;  // also before anyone is identified
};

}  // namespace kompo::server
