#pragma once
// Checking a JWS signature with a public key (internal to src/auth).
#include <string_view>

#include "auth/jwks.hpp"

namespace kompo::auth {

enum class Algorithm { rs256, es256 };

// Whether `signature` signs `input` with `key` under `algorithm` (RSASSA-PKCS1-v1_5 with
// SHA-256, or ECDSA P-256 with SHA-256 and the JWS raw r||s form). The caller has checked
// that the key's type fits the algorithm.
bool signature_valid(Algorithm algorithm, const Jwk& key, std::string_view input,
                     std::string_view signature);

}  // namespace kompo::auth
