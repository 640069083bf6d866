#include "auth/secrets.hpp"

#include <array>
#include <stdexcept>

#include <sodium.h>

namespace kompo::auth {

namespace {

void ensure_sodium() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium: initialisation failed");
}

template <std::size_t N>
std::string to_hex(const std::array<unsigned char, N>& bytes) {
    std::string hex(N * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes.data(), bytes.size());
    hex.pop_back();
    return hex;
}

std::array<unsigned char, crypto_generichash_BYTES> blake2b(const std::string& message,
                                                            const std::string& key) {
    std::array<unsigned char, crypto_generichash_BYTES> out{};
    crypto_generichash(out.data(), out.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()),
                       key.size());
    return out;
}

}  // namespace

std::string new_secret(const std::string& prefix) {
    ensure_sodium();
    std::array<unsigned char, 32> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    std::string text(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), variant);
    text.resize(text.find('\0'));
    return prefix + "_" + text;
}

std::string secret_hash(const std::string& secret) {
    ensure_sodium();
    return to_hex(blake2b(secret, ""));
}

// BLAKE2b keyed with the purpose: a MAC of the secret, one per purpose.
std::string derived_token(const std::string& secret, const std::string& purpose) {
    ensure_sodium();
    return to_hex(blake2b(secret, "kompo:" + purpose));
}

bool equal_in_constant_time(const std::string& a, const std::string& b) {
    if (a.size() != b.size()) return false;
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace kompo::auth
