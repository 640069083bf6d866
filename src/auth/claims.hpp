#pragma once
// The checks of a verified token's payload (internal to src/auth).
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"

namespace kompo::auth {

[[noreturn]] inline void reject(const std::string& what) {
    throw TokenError("jwt: " + what);
}

// Throws TokenError unless `iss` is the issuer, `aud` (a string or an array) holds the
// audience, `exp` is after `now` and `nbf`/`iat` are not after it, each time with the
// settings' skew, and `sub` is a non-empty string.
void check_claims(const nlohmann::json& claims, const OidcSettings& settings,
                  std::chrono::system_clock::time_point now);

// The claims of a payload that passed check_claims.
Claims claims_of(nlohmann::json payload);

// "2026-11-24T10:00:00Z" for a NumericDate (seconds since 1970, UTC).
std::string utc_text(double seconds);

}  // namespace kompo::auth
