// Verifying OpenID Connect ID tokens: RSA and EC keys are made at test time, their public
// halves published as a JWKS, tokens signed here; every refusal is checked by its message.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

#include "auth/base64url.hpp"
#include "auth/jwks.hpp"
#include "auth/jwt.hpp"
#include "support/jwt_signing.hpp"
#include "support/support.hpp"

namespace kompo::auth {
namespace {

using nlohmann::json;
using Time = std::chrono::system_clock::time_point;

constexpr std::int64_t kNow = 1795514400;  // 2026-11-24T10:00:00Z
const std::string kIssuer = "https://id.example.com";
const std::string kAudience = "kompost-web";

Time at(std::int64_t seconds) {
    return Time(std::chrono::seconds(seconds));
}

// --- Keys and signing (what an identity provider does: support/jwt_signing) ----------

const test::SigningKey& rsa_key() {
    static const auto key = test::SigningKey::rsa();
    return key;
}
const test::SigningKey& other_rsa_key() {
    static const auto key = test::SigningKey::rsa();
    return key;
}
const test::SigningKey& ec_key() {
    static const auto key = test::SigningKey::ec();
    return key;
}

json jwk_of(const test::SigningKey& key, const std::string& kid) {
    return key.jwk(kid);
}

json standard_jwks() {
    return {{"keys", {jwk_of(rsa_key(), "rsa-1"), jwk_of(ec_key(), "ec-1")}}};
}

std::string b64(const json& j) {
    return base64url_encode(j.dump());
}

// A compact JWS of `payload` under `header`, signed by `key`.
std::string token(const json& header, const json& payload, const test::SigningKey& key) {
    return test::sign_jwt(header, payload, key);
}

json id_claims() {
    return {{"iss", kIssuer},         {"aud", kAudience},
            {"sub", "user-42"},       {"email", "ada@example.com"},
            {"name", "Ada Lovelace"}, {"iat", kNow - 10},
            {"exp", kNow + 600},      {"tenant_hint", "t1"}};
}

json rs256(const std::string& kid = "rsa-1") {
    return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}};
}
json es256(const std::string& kid = "ec-1") {
    return {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}};
}

// --- The verifier under test, with its key set served from memory ----------------------

struct ServedKeys {
    std::string jwks = standard_jwks().dump();
    int loads = 0;
};

class MemoryJwks : public JwksSource {
  public:
    explicit MemoryJwks(std::shared_ptr<ServedKeys> served) : served_(std::move(served)) {}
    std::string load() override {
        ++served_->loads;
        return served_->jwks;
    }

  private:
    std::shared_ptr<ServedKeys> served_;
};

class JwtVerifierTest : public ::testing::Test {
  protected:
    JwtVerifier& verifier() {
        if (!verifier_) {
            OidcSettings settings{kIssuer, kAudience, "unused", 60};
            verifier_ = std::make_unique<JwtVerifier>(
                settings, std::make_unique<MemoryJwks>(served_), [this] { return now_; });
        }
        return *verifier_;
    }
    // The refusal's message; "accepted" when the token passes.
    std::string refusal(const std::string& jwt) {
        try {
            verifier().verify(jwt);
        } catch (const TokenError& e) {
            return e.what();
        }
        return "accepted";
    }

    std::shared_ptr<ServedKeys> served_ = std::make_shared<ServedKeys>();
    Time now_ = at(kNow);
    std::unique_ptr<JwtVerifier> verifier_;
};

// --- Accepted -------------------------------------------------------------------------

TEST_F(JwtVerifierTest, AcceptsRs256WithItsClaims) {
    const auto claims = verifier().verify(token(rs256(), id_claims(), rsa_key()));
    EXPECT_EQ(claims.sub, "user-42");
    EXPECT_EQ(claims.email, "ada@example.com");
    EXPECT_EQ(claims.name, "Ada Lovelace");
    EXPECT_EQ(claims.raw.at("tenant_hint"), "t1");
}

TEST_F(JwtVerifierTest, AcceptsEs256) {
    const auto claims = verifier().verify(token(es256(), id_claims(), ec_key()));
    EXPECT_EQ(claims.sub, "user-42");
}

TEST_F(JwtVerifierTest, AcceptsAnAudienceArrayHoldingOurs) {
    auto claims = id_claims();
    claims["aud"] = {"other-app", kAudience};
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "accepted");
}

TEST_F(JwtVerifierTest, TokenWithoutKidUsesTheOnlyKeyOfItsType) {
    EXPECT_EQ(refusal(token({{"alg", "RS256"}}, id_claims(), rsa_key())), "accepted");
    EXPECT_EQ(refusal(token({{"alg", "ES256"}}, id_claims(), ec_key())), "accepted");
}

TEST_F(JwtVerifierTest, TokenWithoutKidIsRefusedWhenSeveralKeysFit) {
    served_->jwks =
        json{{"keys", {jwk_of(rsa_key(), "rsa-1"), jwk_of(other_rsa_key(), "rsa-2")}}}.dump();
    EXPECT_EQ(refusal(token({{"alg", "RS256"}}, id_claims(), rsa_key())),
              "jwt: no key id, and the key set has no single RSA key");
}

// --- Signatures -----------------------------------------------------------------------

TEST_F(JwtVerifierTest, RefusesASignatureByAnotherKey) {
    EXPECT_EQ(refusal(token(rs256(), id_claims(), other_rsa_key())), "jwt: signature invalid");
}

TEST_F(JwtVerifierTest, RefusesAFlippedSignatureByte) {
    for (const auto& jwt :
         {token(rs256(), id_claims(), rsa_key()), token(es256(), id_claims(), ec_key())}) {
        auto signature = *base64url_decode(jwt.substr(jwt.rfind('.') + 1));
        signature[10] = static_cast<char>(signature[10] ^ 0x01);
        const auto tampered = jwt.substr(0, jwt.rfind('.') + 1) + base64url_encode(signature);
        EXPECT_EQ(refusal(tampered), "jwt: signature invalid");
    }
}

TEST_F(JwtVerifierTest, RefusesClaimsChangedAfterSigning) {
    const auto jwt = token(rs256(), id_claims(), rsa_key());
    auto claims = id_claims();
    claims["sub"] = "admin";
    const auto first_dot = jwt.find('.');
    const auto last_dot = jwt.rfind('.');
    const auto forged = jwt.substr(0, first_dot + 1) + b64(claims) + jwt.substr(last_dot);
    EXPECT_EQ(refusal(forged), "jwt: signature invalid");
}

TEST_F(JwtVerifierTest, RefusesAnEs256SignatureOfTheWrongLength) {
    const auto jwt = token(es256(), id_claims(), ec_key());
    const auto der = ec_key().sign(jwt.substr(0, jwt.rfind('.')));
    EXPECT_EQ(refusal(jwt.substr(0, jwt.rfind('.') + 1) + base64url_encode(der)),
              "jwt: signature invalid");
}

// --- Algorithms: no confusion ---------------------------------------------------------

TEST_F(JwtVerifierTest, RefusesAlgNone) {
    EXPECT_EQ(refusal(test::unsigned_jwt(id_claims())), "jwt: alg none refused");
}

// The classic confusion attack: HMAC keyed with the provider's *public* key, which anyone
// can fetch. A verifier that lets the token pick the algorithm would accept it.
TEST_F(JwtVerifierTest, RefusesHs256KeyedWithTheRsaPublicKey) {
    const std::string input = b64({{"alg", "HS256"}, {"kid", "rsa-1"}}) + "." + b64(id_claims());
    for (const auto& secret : {rsa_key().public_pem(), jwk_of(rsa_key(), "rsa-1").dump()}) {
        const auto forged = input + "." + base64url_encode(test::hmac_sha256(secret, input));
        EXPECT_EQ(refusal(forged), "jwt: alg HS256 refused (only RS256 and ES256)");
    }
}

TEST_F(JwtVerifierTest, RefusesAnAlgThatDoesNotFitTheNamedKey) {
    // ES256 claimed, but kid names the RSA key.
    EXPECT_EQ(refusal(token(es256("rsa-1"), id_claims(), ec_key())),
              "jwt: alg ES256 does not match key rsa-1");
}

TEST_F(JwtVerifierTest, RefusesAnAlgOtherThanTheKeyIsLimitedTo) {
    auto jwk = jwk_of(rsa_key(), "rsa-1");
    jwk["alg"] = "RS512";
    served_->jwks = json{{"keys", {jwk}}}.dump();
    EXPECT_EQ(refusal(token(rs256(), id_claims(), rsa_key())),
              "jwt: alg RS256 does not match key rsa-1");
}

TEST_F(JwtVerifierTest, RefusesACritHeader) {
    auto header = rs256();
    header["crit"] = {"exp"};
    EXPECT_EQ(refusal(token(header, id_claims(), rsa_key())), "jwt: crit header not supported");
}

// --- Claims ---------------------------------------------------------------------------

TEST_F(JwtVerifierTest, RefusesAnotherAudience) {
    auto claims = id_claims();
    claims["aud"] = "other-app";
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "jwt: audience mismatch");
    claims["aud"] = {"other-app", "third-app"};
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "jwt: audience mismatch");
    claims.erase("aud");
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "jwt: audience mismatch");
}

TEST_F(JwtVerifierTest, RefusesAnotherIssuer) {
    auto claims = id_claims();
    claims["iss"] = "https://id.example.com.evil.test";
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "jwt: issuer mismatch");
}

TEST_F(JwtVerifierTest, RefusesAnExpiredTokenBeyondTheSkew) {
    auto claims = id_claims();
    claims["iat"] = kNow - 3600;
    claims["exp"] = kNow;  // 2026-11-24T10:00:00Z
    const auto jwt = token(rs256(), claims, rsa_key());
    now_ = at(kNow + 60);
    EXPECT_EQ(refusal(jwt), "jwt: expired at 2026-11-24T10:00:00Z");
}

TEST_F(JwtVerifierTest, AcceptsAnExpiredTokenWithinTheSkew) {
    auto claims = id_claims();
    claims["exp"] = kNow;
    now_ = at(kNow + 59);
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "accepted");
}

TEST_F(JwtVerifierTest, RefusesATokenWithoutExp) {
    auto claims = id_claims();
    claims.erase("exp");
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "jwt: exp missing");
}

TEST_F(JwtVerifierTest, RefusesNotBeforeInTheFutureBeyondTheSkew) {
    auto claims = id_claims();
    claims["nbf"] = kNow + 61;
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())),
              "jwt: not valid before 2026-11-24T10:01:01Z");
    claims["nbf"] = kNow + 60;
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "accepted");
}

TEST_F(JwtVerifierTest, RefusesIssuedAtInTheFuture) {
    auto claims = id_claims();
    claims["iat"] = kNow + 3600;
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())),
              "jwt: issued in the future, at 2026-11-24T11:00:00Z");
}

TEST_F(JwtVerifierTest, RefusesATokenWithoutSubject) {
    auto claims = id_claims();
    claims.erase("sub");
    EXPECT_EQ(refusal(token(rs256(), claims, rsa_key())), "jwt: sub missing");
}

// --- Keys: unknown ids, rotation, reload limits ---------------------------------------

TEST_F(JwtVerifierTest, RefusesAnUnknownKeyId) {
    EXPECT_EQ(refusal(token(rs256("abc"), id_claims(), rsa_key())), "jwt: unknown key id abc");
}

TEST_F(JwtVerifierTest, ReloadsTheKeySetForANewKeyIdAtMostOnceAMinute) {
    EXPECT_EQ(refusal(token(rs256(), id_claims(), rsa_key())), "accepted");
    EXPECT_EQ(served_->loads, 1);
    // The provider rotates to a new key; until we reload, its kid is unknown.
    served_->jwks = json{{"keys", {jwk_of(other_rsa_key(), "rsa-2")}}}.dump();
    now_ = at(kNow + 30);
    EXPECT_EQ(refusal(token(rs256("rsa-2"), id_claims(), other_rsa_key())),
              "jwt: unknown key id rsa-2");
    EXPECT_EQ(served_->loads, 1) << "reloaded within a minute of the first load";
    now_ = at(kNow + 61);
    EXPECT_EQ(refusal(token(rs256("rsa-2"), id_claims(), other_rsa_key())), "accepted");
    EXPECT_EQ(served_->loads, 2);
    // A flood of made-up kids does not reach the provider.
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(refusal(token(rs256("x" + std::to_string(i)), id_claims(), rsa_key())),
                  "jwt: unknown key id x" + std::to_string(i));
    }
    EXPECT_EQ(served_->loads, 2);
}

TEST_F(JwtVerifierTest, AKeySetThatCannotBeLoadedIsNotAToken) {
    served_->jwks = "<html>";
    try {
        verifier().verify(token(rs256(), id_claims(), rsa_key()));
        FAIL() << "accepted without keys";
    } catch (const TokenError& e) {
        FAIL() << "blamed the token: " << e.what();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "jwks: not a key set (a JSON object with a \"keys\" array)");
    }
}

// --- Malformed tokens -----------------------------------------------------------------

TEST_F(JwtVerifierTest, RefusesMalformedTokens) {
    const auto good = token(rs256(), id_claims(), rsa_key());
    EXPECT_EQ(refusal(good.substr(0, good.rfind('.'))),
              "jwt: malformed: 2 dot-separated parts, not 3");
    EXPECT_EQ(refusal(good + ".x"), "jwt: malformed: 4 dot-separated parts, not 3");
    EXPECT_EQ(refusal(""), "jwt: malformed: 1 dot-separated parts, not 3");
    EXPECT_EQ(refusal("e30=" + good.substr(good.find('.'))),
              "jwt: malformed header: not base64url");
    EXPECT_EQ(refusal("ab!c" + good.substr(good.find('.'))),
              "jwt: malformed header: not base64url");
    EXPECT_EQ(refusal(base64url_encode("not json") + good.substr(good.find('.'))),
              "jwt: malformed header: not a JSON object");
    EXPECT_EQ(refusal(base64url_encode("[1]") + good.substr(good.find('.'))),
              "jwt: malformed header: not a JSON object");
    EXPECT_EQ(refusal(b64({{"typ", "JWT"}}) + good.substr(good.find('.'))), "jwt: alg missing");
    EXPECT_EQ(refusal(good.substr(0, good.rfind('.') + 1) + "%%%"),
              "jwt: malformed signature: not base64url");
    EXPECT_EQ(refusal(std::string(20000, 'a')), "jwt: malformed: longer than 16 KiB");
}

TEST_F(JwtVerifierTest, ShowsHostileHeaderValuesOnOneLine) {
    const auto jwt = token(rs256("evil\nkid\x01"), id_claims(), rsa_key());
    EXPECT_EQ(refusal(jwt), "jwt: unknown key id evil?kid?");
}

// --- Key sets and settings ------------------------------------------------------------

TEST(JwtKeySet, SkipsKeysItCannotUseAndRefusesASetWithNone) {
    json jwks{{"keys",
               {{{"kty", "oct"}, {"k", "c2VjcmV0"}},
                {{"kty", "OKP"},
                 {"crv", "Ed25519"},
                 {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}},
                jwk_of(ec_key(), "ec-1")}}};
    jwks["keys"][2]["use"] = "enc";
    EXPECT_THROW(
        {
            try {
                KeySet::parse(jwks.dump());
            } catch (const Error& e) {
                EXPECT_STREQ(e.what(), "jwks: no RSA or EC P-256 signing key");
                throw;
            }
        },
        Error);
    jwks["keys"].push_back(jwk_of(rsa_key(), "rsa-1"));
    EXPECT_EQ(KeySet::parse(jwks.dump()).size(), 1u);
}

TEST(JwtKeySet, RefusesAnEcPointOffTheCurve) {
    auto jwk = jwk_of(ec_key(), "ec-1");
    auto y = *base64url_decode(jwk["y"].get<std::string>());
    y[31] = static_cast<char>(y[31] ^ 0x01);
    jwk["y"] = base64url_encode(y);
    try {
        KeySet::parse(json{{"keys", {jwk}}}.dump());
        FAIL() << "an off-curve point was accepted";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "jwks: keys[0] (kid ec-1): not a valid EC public key");
    }
}

TEST(JwtKeySet, RefusesRsaKeysUnder2048Bits) {
    const auto small = test::SigningKey::rsa(1024);
    try {
        KeySet::parse(json{{"keys", {jwk_of(small, "small")}}}.dump());
        FAIL() << "a 1024-bit key was accepted";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(),
                     "jwks: keys[0] (kid small): RSA key of 1024 bits; at least 2048 are needed");
    }
}

TEST(JwtKeySet, LoadsFromAFileAndNamesAMissingOne) {
    const auto dir = test::scratch_dir();
    std::ofstream(dir / "jwks.json") << standard_jwks().dump();
    EXPECT_EQ(KeySet::parse(jwks_source((dir / "jwks.json").string())->load()).size(), 2u);
    try {
        jwks_source((dir / "missing.json").string())->load();
        FAIL() << "a missing file loaded";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
        EXPECT_EQ(
            std::string(e.what()).rfind("jwks: cannot read " + (dir / "missing.json").string(), 0),
            0u)
            << e.what();
    }
}

TEST(JwtKeySet, RefusesPlainHttpAndReportsAnUnreachableProvider) {
    EXPECT_THROW(jwks_source("http://id.example.com/jwks"), Error);
    try {
        jwks_source("https://127.0.0.1:1/jwks")->load();
        FAIL() << "fetched from a closed port";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::io);
        EXPECT_EQ(std::string(e.what()).rfind("jwks: cannot fetch https://127.0.0.1:1/jwks: ", 0),
                  0u)
            << e.what();
    }
}

TEST(JwtSettings, RefusesAnEmptyIssuerOrAudience) {
    auto source = [] { return std::make_unique<MemoryJwks>(std::make_shared<ServedKeys>()); };
    EXPECT_THROW(JwtVerifier(OidcSettings{"", kAudience, "x", 60}, source()), Error);
    EXPECT_THROW(JwtVerifier(OidcSettings{kIssuer, "", "x", 60}, source()), Error);
}

}  // namespace
}  // namespace kompo::auth
