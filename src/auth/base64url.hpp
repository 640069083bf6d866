#pragma once
// Base64url without padding (RFC 4648 §5), the encoding of every part of a JWT and of
// JWK key parameters.
#include <optional>
#include <string>
#include <string_view>

namespace kompo::auth {

// The bytes, or nullopt when `text` is not strict base64url (padding, other characters,
// non-zero trailing bits).
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

}  // namespace kompo::auth
