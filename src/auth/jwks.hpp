#pragma once
// A JSON Web Key Set (RFC 7517): the public keys an OpenID Connect provider signs its
// tokens with, as OpenSSL keys ready to verify.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace kompo::auth {

enum class KeyType { rsa, ec_p256 };

struct PublicKeyFree {
    void operator()(evp_pkey_st* key) const;
};
using PublicKey = std::unique_ptr<evp_pkey_st, PublicKeyFree>;

struct Jwk {
    std::string kid;  // empty when the set does not name it
    KeyType type = KeyType::rsa;
    std::string alg;  // the algorithm the key is limited to; empty: any of its type
    PublicKey key;
};

class KeySet {
  public:
    // Parses a key set. Keys that cannot sign RS256/ES256 are skipped (other key types
    // and curves, "use": "enc"); a usable key that is malformed (bad base64url, a point
    // off the curve, RSA under 2048 bits), a text that is not a key set, or a set with no
    // usable key throws Error(invalid_input) "jwks: ..." naming the key.
    static KeySet parse(std::string_view json_text);

    // The key with this id and type; nullptr when none.
    const Jwk* find(std::string_view kid, KeyType type) const;
    // Whether any key (of any type) has this id.
    bool has_id(std::string_view kid) const;
    // The only key of this type; nullptr when there are none or several.
    const Jwk* only(KeyType type) const;
    std::size_t size() const { return keys_.size(); }

  private:
    std::vector<Jwk> keys_;
};

const char* key_type_name(KeyType type);  // "RSA", "EC P-256"

}  // namespace kompo::auth
