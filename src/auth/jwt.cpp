#include "auth/jwt.hpp"

#include <array>

#include "auth/base64url.hpp"
#include "auth/claims.hpp"
#include "auth/jwks.hpp"
#include "auth/shown.hpp"
#include "auth/signature.hpp"

namespace kompo::auth {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxTokenBytes = 16 * 1024;  // real ID tokens are 1-2 KiB
constexpr auto kReloadInterval = std::chrono::minutes(1);

// The three base64url parts of a compact JWS, as they appear in the token.
struct Parts {
    std::string_view header;
    std::string_view payload;
    std::string_view signature;
    std::string_view signing_input;  // "header.payload", what the signature covers
};

Parts split(std::string_view token) {
    if (token.size() > kMaxTokenBytes) reject("malformed: longer than 16 KiB");
    std::array<std::string_view, 3> parts;
    std::size_t count = 0;
    std::size_t start = 0;
    for (std::size_t dot = token.find('.');; dot = token.find('.', start)) {
        if (count < parts.size()) parts[count] = token.substr(start, dot - start);
        ++count;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    if (count != parts.size()) {
        reject("malformed: " + std::to_string(count) + " dot-separated parts, not 3");
    }
    return Parts{parts[0], parts[1], parts[2],
                 token.substr(0, parts[0].size() + 1 + parts[1].size())};
}

json decode_object(std::string_view part, const char* name) {
    const auto text = base64url_decode(part);
    if (!text) reject(std::string("malformed ") + name + ": not base64url");
    auto object = json::parse(*text, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        reject(std::string("malformed ") + name + ": not a JSON object");
    }
    return object;
}

// Only what the header's `alg` says, checked against the two we accept, and before any
// key is chosen: a token cannot make us verify with the wrong algorithm (alg none, or
// HS256 keyed with a public key).
Algorithm algorithm_of(const json& header) {
    const auto alg = header.find("alg");
    if (alg == header.end() || !alg->is_string()) reject("alg missing");
    const auto& name = alg->get_ref<const std::string&>();
    if (name == "RS256") return Algorithm::rs256;
    if (name == "ES256") return Algorithm::es256;
    if (name == "none") reject("alg none refused");
    reject("alg " + shown(name, 16) + " refused (only RS256 and ES256)");
}

const char* algorithm_name(Algorithm algorithm) {
    return algorithm == Algorithm::rs256 ? "RS256" : "ES256";
}

std::string kid_of(const json& header) {
    const auto kid = header.find("kid");
    if (kid == header.end()) return "";
    if (!kid->is_string() || kid->get_ref<const std::string&>().empty()) {
        reject("malformed header: kid is not a non-empty string");
    }
    return kid->get<std::string>();
}

const Jwk& key_for(const KeySet& keys, const std::string& kid, Algorithm algorithm) {
    const KeyType type = algorithm == Algorithm::rs256 ? KeyType::rsa : KeyType::ec_p256;
    const std::string mismatch =
        std::string("alg ") + algorithm_name(algorithm) + " does not match key " + shown(kid);
    const Jwk* key = kid.empty() ? keys.only(type) : keys.find(kid, type);
    if (!key && kid.empty()) {
        reject(std::string("no key id, and the key set has no single ") + key_type_name(type) +
               " key");
    }
    if (!key && keys.has_id(kid)) reject(mismatch);
    if (!key) reject("unknown key id " + shown(kid));
    if (!key->alg.empty() && key->alg != algorithm_name(algorithm)) reject(mismatch);
    return *key;
}

void check_settings(const OidcSettings& settings) {
    if (settings.issuer.empty()) throw Error::invalid("oidc.issuer: empty");
    if (settings.audience.empty()) throw Error::invalid("oidc.audience: empty");
    if (settings.clock_skew_seconds < 0) {
        throw Error::invalid("oidc.clock_skew_seconds: negative");
    }
}

}  // namespace

JwtVerifier::JwtVerifier(OidcSettings settings, std::unique_ptr<JwksSource> keys, Clock clock)
    : settings_(std::move(settings)), source_(std::move(keys)), clock_(std::move(clock)) {
    check_settings(settings_);
    if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
}

JwtVerifier::JwtVerifier(const OidcSettings& settings)
    : JwtVerifier(settings, jwks_source(settings.jwks)) {}

JwtVerifier::~JwtVerifier() = default;

Claims JwtVerifier::verify(std::string_view token) {
    const auto parts = split(token);
    const auto header = decode_object(parts.header, "header");
    const auto algorithm = algorithm_of(header);
    // RFC 7515 §4.1.11: extensions we do not know must not be ignored.
    if (header.contains("crit")) reject("crit header not supported");
    const auto kid = kid_of(header);
    const auto keys = keys_for(kid);
    const Jwk& key = key_for(*keys, kid, algorithm);
    const auto signature = base64url_decode(parts.signature);
    if (!signature) reject("malformed signature: not base64url");
    if (!signature_valid(algorithm, key, parts.signing_input, *signature)) {
        reject("signature invalid");
    }
    // The payload is read only once the signature holds.
    auto payload = decode_object(parts.payload, "payload");
    check_claims(payload, settings_, clock_());
    return claims_of(std::move(payload));
}

std::shared_ptr<const KeySet> JwtVerifier::keys_for(const std::string& kid) {
    const std::lock_guard lock(mutex_);
    const auto now = clock_();
    const bool unknown = !keys_ || (!kid.empty() && !keys_->has_id(kid));
    const bool may_load = !last_load_ || now - *last_load_ >= kReloadInterval;
    if (unknown && may_load) {
        last_load_ = now;
        try {
            keys_ = std::make_shared<const KeySet>(KeySet::parse(source_->load()));
            load_error_.reset();
        } catch (const Error& e) {
            // With keys already loaded they stay in use: a token they do not know is then
            // refused for its unknown key id.
            if (!keys_) load_error_ = e;
        }
    }
    if (!keys_) throw *load_error_;
    return keys_;
}

}  // namespace kompo::auth
