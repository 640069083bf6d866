#include "auth/signature.hpp"

#include <openssl/err.h>

#include <optional>
#include <string>

#include "auth/openssl_handles.hpp"

namespace kompo::auth {

namespace {

constexpr std::size_t kEs256CoordinateBytes = 32;

const unsigned char* bytes(std::string_view text) {
    return reinterpret_cast<const unsigned char*>(text.data());
}

// JWS carries an ES256 signature as r||s, 32 bytes each (RFC 7518 §3.4); OpenSSL
// verifies the DER form of ECDSA-Sig-Value. nullopt when the length is not 64.
std::optional<std::string> der_of_raw_ecdsa(std::string_view raw) {
    if (raw.size() != 2 * kEs256CoordinateBytes) return std::nullopt;
    ossl::Bignum r(BN_bin2bn(bytes(raw), kEs256CoordinateBytes, nullptr));
    ossl::Bignum s(
        BN_bin2bn(bytes(raw.substr(kEs256CoordinateBytes)), kEs256CoordinateBytes, nullptr));
    ossl::EcdsaSignature signature(ECDSA_SIG_new());
    if (!r || !s || !signature || ECDSA_SIG_set0(signature.get(), r.get(), s.get()) != 1) {
        return std::nullopt;
    }
    r.release();  // owned by `signature` from here on
    s.release();
    const int length = i2d_ECDSA_SIG(signature.get(), nullptr);
    if (length <= 0) return std::nullopt;
    std::string der(static_cast<std::size_t>(length), '\0');
    auto* out = reinterpret_cast<unsigned char*>(der.data());
    if (i2d_ECDSA_SIG(signature.get(), &out) != length) return std::nullopt;
    return der;
}

bool digest_verify(evp_pkey_st* key, std::string_view input, std::string_view signature) {
    ossl::DigestContext context(EVP_MD_CTX_new());
    return context &&
           EVP_DigestVerifyInit(context.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
           EVP_DigestVerify(context.get(), bytes(signature), signature.size(), bytes(input),
                            input.size()) == 1;
}

}  // namespace

bool signature_valid(Algorithm algorithm, const Jwk& key, std::string_view input,
                     std::string_view signature) {
    bool valid = false;
    if (algorithm == Algorithm::rs256) {
        valid = digest_verify(key.key.get(), input, signature);
    } else if (const auto der = der_of_raw_ecdsa(signature)) {
        valid = digest_verify(key.key.get(), input, *der);
    }
    ERR_clear_error();  // a refused signature leaves errors queued: drop them
    return valid;
}

}  // namespace kompo::auth
