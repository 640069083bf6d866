#pragma once
// What an OpenID Connect identity provider does, for tests of single sign-on: signing
// keys made at test time (OpenSSL), their public halves as JWKs, and compact JWS tokens
// signed with them, or forged (unsigned, HMAC). Written apart from src/auth, so the tests
// do not check the verifier against its own encoding code. Failures of OpenSSL throw
// std::runtime_error.
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include <openssl/evp.h>

namespace kompo::test {

// An asymmetric key pair (RSA or EC P-256), freed with its object; movable, not copyable.
class SigningKey {
  public:
    // A fresh RSA key (2048 bits unless told: smaller ones are for tests of refusals).
    static SigningKey rsa(int bits = 2048);
    // A fresh EC key on P-256.
    static SigningKey ec();

    bool is_rsa() const;
    EVP_PKEY* get() const { return key_.get(); }

    // The public half as a JWK {"kty","kid","use":"sig", n/e or crv/x/y}; no "alg".
    nlohmann::json jwk(const std::string& kid) const;
    // The public half as PEM ("-----BEGIN PUBLIC KEY-----...").
    std::string public_pem() const;
    // SHA-256 signature of `input` as OpenSSL makes it: PKCS#1 v1.5 for RSA, DER for EC.
    std::string sign(const std::string& input) const;

  private:
    struct Free {
        void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
    };
    explicit SigningKey(EVP_PKEY* key);
    std::unique_ptr<EVP_PKEY, Free> key_;
};

// Base64url without padding (RFC 4648 §5), and back (throws std::invalid_argument when
// `text` is not base64url).
std::string base64url(const std::string& bytes);
std::string base64url_decode(const std::string& text);
// base64url of the JSON text: a JWT header or payload part.
std::string base64url_json(const nlohmann::json& value);

// ECDSA signature DER -> the JWS form, r || s of 32 bytes each.
std::string ecdsa_der_to_jws(const std::string& der);

// A compact JWS: base64url(header).base64url(payload).signature, signed by `key` as its
// type signs (RS256 for RSA, ES256 with r || s for EC). The header is used as given, so a
// test can claim an `alg` or `kid` that does not fit the key.
std::string sign_jwt(const nlohmann::json& header, const nlohmann::json& payload,
                     const SigningKey& key);
// An unsigned token, "header.payload." with header {"alg":"none","typ":"JWT"}.
std::string unsigned_jwt(const nlohmann::json& payload);
// HMAC-SHA256 of `input` keyed with `secret`.
std::string hmac_sha256(const std::string& secret, const std::string& input);
// A token with header {"alg":"HS256", "kid": kid (when not empty)} MACed with `secret`:
// the algorithm-confusion forgery, with a provider's public key as the secret.
std::string hs256_jwt(const nlohmann::json& payload, const std::string& secret,
                      const std::string& kid = "");

}  // namespace kompo::test
