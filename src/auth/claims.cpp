#include "auth/claims.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <optional>

namespace kompo::auth {

namespace {

using nlohmann::json;

constexpr double kLastSecondOf9999 = 253402300799.0;

std::string string_claim(const json& claims, const char* name) {
    const auto claim = claims.find(name);
    return claim != claims.end() && claim->is_string() ? claim->get<std::string>() : "";
}

std::optional<double> time_claim(const json& claims, const char* name) {
    const auto claim = claims.find(name);
    if (claim == claims.end()) return std::nullopt;
    if (!claim->is_number()) reject(std::string(name) + " is not a number");
    return claim->get<double>();
}

bool audience_holds(const json& aud, const std::string& audience) {
    if (aud.is_string()) return aud.get_ref<const std::string&>() == audience;
    if (!aud.is_array()) return false;
    return std::any_of(aud.begin(), aud.end(), [&](const json& one) {
        return one.is_string() && one.get_ref<const std::string&>() == audience;
    });
}

void check_times(const json& claims, double now, double skew) {
    const auto exp = time_claim(claims, "exp");
    if (!exp) reject("exp missing");
    // RFC 7519 §4.1.4: the token is refused on or after its expiry.
    if (now >= *exp + skew) reject("expired at " + utc_text(*exp));
    if (const auto nbf = time_claim(claims, "nbf"); nbf && now + skew < *nbf) {
        reject("not valid before " + utc_text(*nbf));
    }
    if (const auto iat = time_claim(claims, "iat"); iat && now + skew < *iat) {
        reject("issued in the future, at " + utc_text(*iat));
    }
}

}  // namespace

void check_claims(const json& claims, const OidcSettings& settings,
                  std::chrono::system_clock::time_point now) {
    if (!claims.contains("iss") || string_claim(claims, "iss") != settings.issuer) {
        reject("issuer mismatch");
    }
    if (!claims.contains("aud") || !audience_holds(claims["aud"], settings.audience)) {
        reject("audience mismatch");
    }
    const std::chrono::duration<double> since_epoch = now.time_since_epoch();
    check_times(claims, since_epoch.count(), settings.clock_skew_seconds);
    if (string_claim(claims, "sub").empty()) reject("sub missing");
}

Claims claims_of(json payload) {
    Claims claims;
    claims.sub = string_claim(payload, "sub");
    claims.email = string_claim(payload, "email");
    claims.name = string_claim(payload, "name");
    claims.raw = std::move(payload);
    return claims;
}

std::string utc_text(double seconds) {
    const auto whole =
        static_cast<std::time_t>(std::floor(std::clamp(seconds, 0.0, kLastSecondOf9999)));
    std::tm tm{};
    gmtime_r(&whole, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

}  // namespace kompo::auth
