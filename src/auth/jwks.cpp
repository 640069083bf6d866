#include "auth/jwks.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>

#include <nlohmann/json.hpp>

#include "auth/base64url.hpp"
#include "auth/openssl_handles.hpp"
#include "auth/shown.hpp"
#include "core/error.hpp"

namespace kompo::auth {

void PublicKeyFree::operator()(evp_pkey_st* key) const {
    EVP_PKEY_free(key);
}

const char* key_type_name(KeyType type) {
    return type == KeyType::rsa ? "RSA" : "EC P-256";
}

namespace {

using nlohmann::json;

constexpr int kMinRsaBits = 2048;
constexpr std::size_t kP256CoordinateBytes = 32;

struct KeyInput {
    std::string where;  // "jwks: keys[2] (kid abc)"
    const json& jwk;
};

[[noreturn]] void refuse(const KeyInput& in, const std::string& what) {
    ERR_clear_error();  // leave no stale OpenSSL errors behind for other code on this thread
    throw Error::invalid(in.where + ": " + what);
}

std::string decoded_member(const KeyInput& in, const char* name) {
    const auto member = in.jwk.find(name);
    if (member == in.jwk.end() || !member->is_string()) {
        refuse(in, std::string(name) + " missing");
    }
    auto bytes = base64url_decode(member->get_ref<const std::string&>());
    if (!bytes || bytes->empty()) refuse(in, std::string(name) + " is not base64url");
    return std::move(*bytes);
}

ossl::Bignum bignum(const std::string& bytes) {
    return ossl::Bignum(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()), nullptr));
}

// Builds a public key of `algorithm` ("RSA", "EC") from OSSL_PARAMs, then has OpenSSL
// check it (an EC point must lie on the curve: invalid-curve attacks).
PublicKey key_from(const KeyInput& in, const char* algorithm, OSSL_PARAM_BLD* builder) {
    ossl::Params params(OSSL_PARAM_BLD_to_param(builder));
    ossl::PkeyContext context(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!params || !context || EVP_PKEY_fromdata_init(context.get()) != 1 ||
        EVP_PKEY_fromdata(context.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        refuse(in, std::string("not a valid ") + algorithm + " public key");
    }
    PublicKey key(raw);
    ossl::PkeyContext check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
    if (!check || EVP_PKEY_public_check(check.get()) != 1) {
        refuse(in, std::string("not a valid ") + algorithm + " public key");
    }
    return key;
}

PublicKey rsa_key(const KeyInput& in) {
    const auto n = bignum(decoded_member(in, "n"));
    const auto e = bignum(decoded_member(in, "e"));
    ossl::ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!n || !e || !builder ||
        !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
        !OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
        refuse(in, "cannot build the RSA key");
    }
    auto key = key_from(in, "RSA", builder.get());
    const int bits = EVP_PKEY_get_bits(key.get());
    if (bits < kMinRsaBits) {
        refuse(in, "RSA key of " + std::to_string(bits) + " bits; at least " +
                       std::to_string(kMinRsaBits) + " are needed");
    }
    return key;
}

PublicKey ec_key(const KeyInput& in) {
    const auto x = decoded_member(in, "x");
    const auto y = decoded_member(in, "y");
    if (x.size() != kP256CoordinateBytes || y.size() != kP256CoordinateBytes) {
        refuse(in, "x and y must be 32 bytes each for P-256");
    }
    const std::string point = '\x04' + x + y;  // SEC 1 uncompressed point
    ossl::ParamBuilder builder(OSSL_PARAM_BLD_new());
    if (!builder ||
        !OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "P-256", 0) ||
        !OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                          point.size())) {
        refuse(in, "cannot build the EC key");
    }
    return key_from(in, "EC", builder.get());
}

std::string string_member(const json& jwk, const char* name) {
    const auto member = jwk.find(name);
    return member != jwk.end() && member->is_string() ? member->get<std::string>() : "";
}

// The key's type when it can sign RS256 or ES256; nullopt for keys to skip.
std::optional<KeyType> usable_type(const json& jwk) {
    const auto use = string_member(jwk, "use");
    if (!use.empty() && use != "sig") return std::nullopt;
    const auto kty = string_member(jwk, "kty");
    if (kty == "RSA") return KeyType::rsa;
    if (kty == "EC" && string_member(jwk, "crv") == "P-256") return KeyType::ec_p256;
    return std::nullopt;
}

}  // namespace

KeySet KeySet::parse(std::string_view json_text) {
    const auto document = json::parse(json_text, nullptr, false);
    if (document.is_discarded() || !document.is_object() || !document.contains("keys") ||
        !document["keys"].is_array()) {
        throw Error::invalid("jwks: not a key set (a JSON object with a \"keys\" array)");
    }
    KeySet set;
    const auto& keys = document["keys"];
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (!keys[i].is_object()) continue;
        const auto type = usable_type(keys[i]);
        if (!type) continue;
        Jwk jwk;
        jwk.kid = string_member(keys[i], "kid");
        jwk.type = *type;
        jwk.alg = string_member(keys[i], "alg");
        const KeyInput in{"jwks: keys[" + std::to_string(i) + "] (kid " + shown(jwk.kid) + ")",
                          keys[i]};
        jwk.key = *type == KeyType::rsa ? rsa_key(in) : ec_key(in);
        set.keys_.push_back(std::move(jwk));
    }
    if (set.keys_.empty()) throw Error::invalid("jwks: no RSA or EC P-256 signing key");
    return set;
}

const Jwk* KeySet::find(std::string_view kid, KeyType type) const {
    for (const auto& key : keys_) {
        if (key.kid == kid && key.type == type) return &key;
    }
    return nullptr;
}

bool KeySet::has_id(std::string_view kid) const {
    for (const auto& key : keys_) {
        if (key.kid == kid) return true;
    }
    return false;
}

const Jwk* KeySet::only(KeyType type) const {
    const Jwk* found = nullptr;
    for (const auto& key : keys_) {
        if (key.type != type) continue;
        if (found) return nullptr;
        found = &key;
    }
    return found;
}

}  // namespace kompo::auth
