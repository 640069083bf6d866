#pragma once
// Passwords hashed with Argon2id (libsodium's crypto_pwhash_str: salt and cost parameters
// travel inside the string, so raising the cost later still verifies old hashes).
#include <string>

namespace kompo::auth {

// Throws Error(invalid_input) "password: ..." when it is too short or too long.
void check_password_rules(const std::string& password);
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);
// Spends the time of one verification, so that an unknown user name answers as slowly as
// a wrong password does (no user enumeration by timing).
void spend_verification_time(const std::string& password);

}  // namespace kompo::auth
