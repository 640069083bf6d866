#pragma once
// Bearer secrets: 256 random bits, URL-safe, with a prefix saying what they are (so a
// leaked one is recognisable in logs and by secret scanners). The store keeps only
// their BLAKE2b hash.
#include <string>

namespace kompo::auth {

// "<prefix>_<43 URL-safe base64 characters>".
std::string new_secret(const std::string& prefix);
// Hex BLAKE2b-256 of the secret: what the store looks credentials up by.
std::string secret_hash(const std::string& secret);
// A value bound to the secret that cannot be computed without it: the CSRF token of a
// session (the page reads it from the login answer; a forged request cannot).
std::string derived_token(const std::string& secret, const std::string& purpose);
// Compares in time independent of where the first difference is.
bool equal_in_constant_time(const std::string& a, const std::string& b);

}  // namespace kompo::auth
