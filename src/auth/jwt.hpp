#pragma once
// Single sign-on: verifying the OpenID Connect ID tokens (compact JWS JWTs) an identity
// provider issues, against the provider's published keys.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/jwks_source.hpp"
#include "core/error.hpp"

namespace kompo::auth {

class KeySet;

// The `oidc` section of the configuration.
struct OidcSettings {
    std::string issuer;    // the provider's `iss`, exactly
    std::string audience;  // our client id: must be in `aud`
    std::string jwks;      // the key set: an https url (the provider's jwks_uri) or a file
    int clock_skew_seconds = 60;
};

// What a verified token says about its user.
struct Claims {
    std::string sub;     // the provider's stable user id
    std::string email;   // empty when the token has none
    std::string name;    // empty when the token has none
    nlohmann::json raw;  // every claim of the payload
};

// A token refused. The message is one line, "jwt: <what failed>", safe to log: values
// from the token are shortened and stripped of control characters.
class TokenError : public Error {
  public:
    explicit TokenError(const std::string& message) : Error(ErrorKind::invalid_input, message) {}
};

using Clock = std::function<std::chrono::system_clock::time_point()>;

// Verifies RS256 and ES256 tokens only (every other `alg`, `none` and HS256 included, is
// refused before any key is touched), then `iss`, `aud`, `exp`, `nbf` and `iat` (times
// with the configured skew). Keys are loaded on first use and reloaded when a token
// names an unknown key id, at most once a minute. Thread-safe.
class JwtVerifier {
  public:
    // Throws Error(invalid_input) naming the `oidc.*` setting that is empty or negative.
    JwtVerifier(OidcSettings settings, std::unique_ptr<JwksSource> keys, Clock clock = {});
    // Keys from `settings.jwks` (see jwks_source).
    explicit JwtVerifier(const OidcSettings& settings);
    ~JwtVerifier();

    // The token's claims. Throws TokenError when the token is refused, Error(io) or
    // Error(invalid_input) "jwks: ..." when no key set could be loaded.
    Claims verify(std::string_view token);

  private:
    // The current key set, loaded first when there is none or `kid` is unknown, unless the
    // last load began less than a minute ago. The mutex is held while loading: other
    // tokens wait for the new keys instead of fetching them again.
    std::shared_ptr<const KeySet> keys_for(const std::string& kid);

    OidcSettings settings_;
    std::unique_ptr<JwksSource> source_;
    Clock clock_;
    std::mutex mutex_;  // guards the three below
    std::shared_ptr<const KeySet> keys_;
    std::optional<std::chrono::system_clock::time_point> last_load_;
    std::optional<Error> load_error_;  // why the last load failed, while no keys are loaded
};

}  // namespace kompo::auth
