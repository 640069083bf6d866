#include "auth/passwords.hpp"

#include <array>
#include <stdexcept>

#include <sodium.h>

#include "core/error.hpp"
#include "core/field_error.hpp"

namespace kompo::auth {

namespace {

constexpr std::size_t kMinLength = 10;
constexpr std::size_t kMaxLength = 1024;  // bounds the work an attacker can ask for

void ensure_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium: initialisation failed");
}

}  // namespace

void check_password_rules(const std::string& password) {
    if (password.size() < kMinLength) {
        throw FieldError("password",
                         "too short (at least " + std::to_string(kMinLength) + " characters)");
    }
    if (password.size() > kMaxLength) {
        throw FieldError("password",
                         "too long (at most " + std::to_string(kMaxLength) + " characters)");
    }
}

std::string hash_password(const std::string& password) {
    ensure_sodium();
    std::array<char, crypto_pwhash_STRBYTES> hash{};
    if (crypto_pwhash_str(hash.data(), password.data(), password.size(),
                          crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        throw std::runtime_error("password hashing: out of memory");
    }
    return hash.data();
}

bool verify_password(const std::string& hash, const std::string& password) {
    ensure_sodium();
    if (hash.empty() || password.size() > kMaxLength) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

void spend_verification_time(const std::string& password) {
    static const std::string kDecoy = hash_password("decoy-password-never-used");
    verify_password(kDecoy, password);
}

}  // namespace kompo::auth
