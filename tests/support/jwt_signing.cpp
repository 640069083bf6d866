#include "support/jwt_signing.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <stdexcept>

namespace kompo::test {

namespace {

using nlohmann::json;

template <auto Free>
struct FreeWith {
    template <typename T>
    void operator()(T* handle) const {
        Free(handle);
    }
};
using Bignum = std::unique_ptr<BIGNUM, FreeWith<BN_free>>;
using Bio = std::unique_ptr<BIO, FreeWith<BIO_free>>;
using DigestContext = std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX_free>>;
using EcdsaSignature = std::unique_ptr<ECDSA_SIG, FreeWith<ECDSA_SIG_free>>;

void require(bool ok, const std::string& what) {
    if (!ok) throw std::runtime_error("jwt_signing: " + what + " failed (OpenSSL)");
}

const unsigned char* bytes_of(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}

// The key's big-number parameter, big-endian; left-padded with zeros to `pad_to` bytes
// when given (EC coordinates have a fixed length in a JWK).
std::string bignum_param(const EVP_PKEY* key, const char* name, int pad_to = 0) {
    BIGNUM* raw = nullptr;
    require(EVP_PKEY_get_bn_param(key, name, &raw) == 1, std::string("reading ") + name);
    const Bignum bn(raw);
    const int length = pad_to ? pad_to : BN_num_bytes(bn.get());
    std::string out(static_cast<std::size_t>(length), '\0');
    auto* to = reinterpret_cast<unsigned char*>(out.data());
    require(BN_bn2binpad(bn.get(), to, length) == length, std::string("writing ") + name);
    return out;
}

}  // namespace

SigningKey::SigningKey(EVP_PKEY* key) : key_(key) {
    require(key != nullptr, "key generation");
}

SigningKey SigningKey::rsa(int bits) {
    return SigningKey(EVP_RSA_gen(static_cast<unsigned>(bits)));
}

SigningKey SigningKey::ec() {
    return SigningKey(EVP_EC_gen("P-256"));
}

bool SigningKey::is_rsa() const {
    return EVP_PKEY_is_a(key_.get(), "RSA") == 1;
}

json SigningKey::jwk(const std::string& kid) const {
    json jwk{{"kid", kid}, {"use", "sig"}};
    if (is_rsa()) {
        jwk["kty"] = "RSA";
        jwk["n"] = base64url(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_N));
        jwk["e"] = base64url(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_E));
    } else {
        jwk["kty"] = "EC";
        jwk["crv"] = "P-256";
        jwk["x"] = base64url(bignum_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32));
        jwk["y"] = base64url(bignum_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32));
    }
    return jwk;
}

std::string SigningKey::public_pem() const {
    const Bio bio(BIO_new(BIO_s_mem()));
    require(bio && PEM_write_bio_PUBKEY(bio.get(), key_.get()) == 1, "PEM_write_bio_PUBKEY");
    char* data = nullptr;
    const long length = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(length));
}

std::string SigningKey::sign(const std::string& input) const {
    const DigestContext context(EVP_MD_CTX_new());
    require(context != nullptr, "EVP_MD_CTX_new");
    require(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1,
            "EVP_DigestSignInit");
    std::size_t length = 0;
    require(EVP_DigestSign(context.get(), nullptr, &length, bytes_of(input), input.size()) == 1,
            "EVP_DigestSign (length)");
    std::string signature(length, '\0');
    require(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()),
                           &length, bytes_of(input), input.size()) == 1,
            "EVP_DigestSign");
    signature.resize(length);
    return signature;
}

std::string base64url(const std::string& bytes) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((bytes.size() * 4 + 2) / 3);
    std::size_t i = 0;
    const auto byte = [&](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[at]));
    };
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    const std::size_t rest = bytes.size() - i;
    if (rest == 1) {
        const unsigned v = byte(i) << 16;
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
    } else if (rest == 2) {
        const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8);
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
    }
    return out;
}

std::string base64url_decode(const std::string& text) {
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (const char c : text) {
        int value = -1;
        if (c >= 'A' && c <= 'Z') value = c - 'A';
        if (c >= 'a' && c <= 'z') value = c - 'a' + 26;
        if (c >= '0' && c <= '9') value = c - '0' + 52;
        if (c == '-') value = 62;
        if (c == '_') value = 63;
        if (value < 0) throw std::invalid_argument("not base64url: " + text);
        bits = (bits << 6) | static_cast<unsigned>(value);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    if (count >= 6) throw std::invalid_argument("not base64url (length): " + text);
    return out;
}

std::string base64url_json(const json& value) {
    return base64url(value.dump());
}

std::string ecdsa_der_to_jws(const std::string& der) {
    const auto* in = bytes_of(der);
    const EcdsaSignature signature(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
    require(signature != nullptr, "d2i_ECDSA_SIG");
    std::string raw(64, '\0');
    auto* out = reinterpret_cast<unsigned char*>(raw.data());
    require(BN_bn2binpad(ECDSA_SIG_get0_r(signature.get()), out, 32) == 32 &&
                BN_bn2binpad(ECDSA_SIG_get0_s(signature.get()), out + 32, 32) == 32,
            "ECDSA r || s");
    return raw;
}

std::string sign_jwt(const json& header, const json& payload, const SigningKey& key) {
    const std::string input = base64url_json(header) + "." + base64url_json(payload);
    auto signature = key.sign(input);
    if (!key.is_rsa()) signature = ecdsa_der_to_jws(signature);
    return input + "." + base64url(signature);
}

std::string unsigned_jwt(const json& payload) {
    return base64url_json({{"alg", "none"}, {"typ", "JWT"}}) + "." + base64url_json(payload) + ".";
}

std::string hmac_sha256(const std::string& secret, const std::string& input) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    std::size_t length = 0;
    require(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(),
                      bytes_of(input), input.size(), mac, sizeof mac, &length) != nullptr,
            "EVP_Q_mac");
    return std::string(reinterpret_cast<const char*>(mac), length);
}

std::string hs256_jwt(const json& payload, const std::string& secret, const std::string& kid) {
    json header{{"alg", "HS256"}, {"typ", "JWT"}};
    if (!kid.empty()) header["kid"] = kid;
    const std::string input = base64url_json(header) + "." + base64url_json(payload);
    return input + "." + base64url(hmac_sha256(secret, input));
}

}  // namespace kompo::test
