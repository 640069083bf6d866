// Single sign-on against a real `kompo serve`: the test plays the identity provider. Its
// RSA and EC keys are made at test time, their public halves written to a JWKS file the
// server reads (auth.oidc_jwks), and ID tokens signed here (support/jwt_signing). A valid
// token of a linked identity acts as its user, with that user's role; every other token
// is refused with 401 and the verifier's reason.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "server_support.hpp"
#include "support/jwt_signing.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

const std::string kIssuer = "https://login.example.test";
const std::string kAudience = "kompost";
const std::string kSkewSeconds = "300";

const SigningKey& rsa_key() {
    static const auto key = SigningKey::rsa();
    return key;
}
const SigningKey& ec_key() {
    static const auto key = SigningKey::ec();
    return key;
}
// A key of somebody else: not in the provider's key set.
const SigningKey& stranger_key() {
    static const auto key = SigningKey::rsa();
    return key;
}

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// How the verifier shows a time: 2026-11-24T10:00:00Z.
std::string utc_text(std::int64_t seconds) {
    const auto time = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&time, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return text;
}

// The claims of an ID token the provider would issue now for `sub`, valid for 10 minutes.
json id_claims(const std::string& sub = "user-42") {
    const auto now = now_seconds();
    return {{"iss", kIssuer},  {"aud", kAudience}, {"sub", sub},
            {"iat", now - 10}, {"exp", now + 600}, {"email", "ada@example.test"}};
}

json rs256() {
    return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", "rsa-1"}};
}
json es256() {
    return {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", "ec-1"}};
}

// Only this token: the admin API token the test client adds by default is replaced.
HttpHeaders bearer(const std::string& jwt) {
    return {{"Authorization", "Bearer " + jwt}};
}

// The token with the lowest bit of its signature's 11th byte flipped.
std::string with_flipped_signature_byte(const std::string& jwt) {
    const auto last_dot = jwt.rfind('.');
    auto signature = base64url_decode(jwt.substr(last_dot + 1));
    signature[10] = static_cast<char>(signature[10] ^ 0x01);
    return jwt.substr(0, last_dot + 1) + base64url(signature);
}

void add_user(const std::filesystem::path& data, const std::string& name, const std::string& role) {
    const auto added = kompo({"user", "add", name, "--role", role, "--data-dir", data.string()});
    ASSERT_EQ(added.exit_code, 0) << added.err;
}

void link_sso(const std::filesystem::path& data, const std::string& name,
              const std::string& subject) {
    const auto linked =
        kompo({"user", "link-sso", name, "--subject", subject, "--data-dir", data.string()});
    ASSERT_EQ(linked.exit_code, 0) << linked.err;
}

// A server with single sign-on from kIssuer, whose key set (a JWKS file) holds the RSA key
// "rsa-1" and the EC key "ec-1", with a clock skew of 300 s; "ada" (editor) is linked to
// the provider's user "user-42".
class ServerSso : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto dir = scratch_dir();
        data_ = dir / "data";
        const auto jwks = dir / "jwks.json";
        std::ofstream(jwks)
            << json{{"keys", {rsa_key().jwk("rsa-1"), ec_key().jwk("ec-1")}}}.dump();
        server_ = std::make_unique<ServerProcess>(
            data_, std::vector<std::string>{"--workers", "0"},
            std::map<std::string, std::string>{
                {"KOMPO_AUTH_OIDC_ISSUER", kIssuer},
                {"KOMPO_AUTH_OIDC_AUDIENCE", kAudience},
                {"KOMPO_AUTH_OIDC_JWKS", jwks.string()},
                {"KOMPO_AUTH_OIDC_CLOCK_SKEW_SECONDS", kSkewSeconds}});
        ASSERT_NO_FATAL_FAILURE(add_user(data_, "ada", "editor"));
        ASSERT_NO_FATAL_FAILURE(link_sso(data_, "ada", kIssuer + " user-42"));
    }

    int port() const { return server_->port(); }

    // The message of the 401 answer to GET /api/v1/auth/me with this token, or what came
    // instead.
    std::string refusal(const std::string& jwt) const {
        const auto response = http_get(port(), "/api/v1/auth/me", bearer(jwt));
        if (response.status != 401) {
            return "status " + std::to_string(response.status) + ": " + response.body;
        }
        const auto body = response.json();
        EXPECT_EQ(body["error"], "unauthorized") << response.body;
        return body["message"].get<std::string>();
    }

    std::filesystem::path data_;
    std::unique_ptr<ServerProcess> server_;
};

TEST_F(ServerSso, ValidRs256AndEs256TokensActAsTheLinkedUserWithTheirRole) {
    for (const auto& jwt :
         {sign_jwt(rs256(), id_claims(), rsa_key()), sign_jwt(es256(), id_claims(), ec_key())}) {
        const auto me = http_get(port(), "/api/v1/auth/me", bearer(jwt));
        ASSERT_EQ(me.status, 200) << me.body;
        const auto user = me.json()["user"];
        EXPECT_EQ(user["name"], "ada");
        EXPECT_EQ(user["role"], "editor");
        EXPECT_EQ(user["tenant"], "default");
        EXPECT_EQ(me.json()["credential"], "sso");

        const auto listed = http_get(port(), "/api/v1/kompositions", bearer(jwt));
        EXPECT_EQ(listed.status, 200) << listed.body;
        // The role of the linked user applies: an editor is no admin.
        const auto users = http_get(port(), "/api/v1/users", bearer(jwt));
        EXPECT_EQ(users.status, 403) << users.body;
        EXPECT_EQ(users.json()["permission"], "admin");
    }
    // A bearer token carries no ambient authority: changes need no CSRF token.
    const auto created =
        http_post_json(port(), "/api/v1/kompositions", clip_komposition("k1", {{"a", 0, 4}}),
                       bearer(sign_jwt(rs256(), id_claims(), rsa_key())));
    EXPECT_EQ(created.status, 201) << created.body;
}

TEST_F(ServerSso, TheLinkedAdminSignsInAsAdmin) {
    ASSERT_NO_FATAL_FAILURE(link_sso(data_, "admin", kIssuer + " boss-1"));
    const auto jwt = sign_jwt(es256(), id_claims("boss-1"), ec_key());
    const auto me = http_get(port(), "/api/v1/auth/me", bearer(jwt));
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(me.json()["user"]["name"], "admin");
    EXPECT_EQ(me.json()["user"]["role"], "admin");
    EXPECT_EQ(http_get(port(), "/api/v1/users", bearer(jwt)).status, 200);
}

TEST_F(ServerSso, RefusesForgedSignatures) {
    // Signed by a key not in the key set, claiming the provider's key id, or its own.
    EXPECT_EQ(refusal(sign_jwt(rs256(), id_claims(), stranger_key())), "jwt: signature invalid");
    auto own_kid = rs256();
    own_kid["kid"] = "rsa-2";
    EXPECT_EQ(refusal(sign_jwt(own_kid, id_claims(), stranger_key())), "jwt: unknown key id rsa-2");
    // A valid token with one signature byte changed.
    EXPECT_EQ(refusal(with_flipped_signature_byte(sign_jwt(rs256(), id_claims(), rsa_key()))),
              "jwt: signature invalid");
    EXPECT_EQ(refusal(with_flipped_signature_byte(sign_jwt(es256(), id_claims(), ec_key()))),
              "jwt: signature invalid");
}

TEST_F(ServerSso, RefusesUnsignedAndHmacTokens) {
    EXPECT_EQ(refusal(unsigned_jwt(id_claims())), "jwt: alg none refused");
    // Algorithm confusion: HMAC keyed with the provider's public key, which anyone has.
    EXPECT_EQ(refusal(hs256_jwt(id_claims(), rsa_key().public_pem(), "rsa-1")),
              "jwt: alg HS256 refused (only RS256 and ES256)");
}

TEST_F(ServerSso, RefusesAnotherAudienceOrIssuer) {
    auto claims = id_claims();
    claims["aud"] = "another-app";
    EXPECT_EQ(refusal(sign_jwt(rs256(), claims, rsa_key())), "jwt: audience mismatch");
    claims = id_claims();
    claims["iss"] = "https://login.example.test.evil.test";
    EXPECT_EQ(refusal(sign_jwt(rs256(), claims, rsa_key())), "jwt: issuer mismatch");
}

TEST_F(ServerSso, RefusesATokenExpiredBeyondTheConfiguredSkew) {
    const auto now = now_seconds();
    auto claims = id_claims();
    claims["iat"] = now - 3600;
    // Expired 2 minutes ago: refused with the default skew of 60 s, within the 300 s set.
    claims["exp"] = now - 120;
    const auto within =
        http_get(port(), "/api/v1/auth/me", bearer(sign_jwt(rs256(), claims, rsa_key())));
    EXPECT_EQ(within.status, 200) << within.body;
    claims["exp"] = now - 400;
    EXPECT_EQ(refusal(sign_jwt(rs256(), claims, rsa_key())),
              "jwt: expired at " + utc_text(now - 400));
}

TEST_F(ServerSso, RefusesAValidTokenOfAnIdentityNoUserIsLinkedTo) {
    EXPECT_EQ(refusal(sign_jwt(rs256(), id_claims("user-43"), rsa_key())),
              "Authorization: no user is linked to this sign-on");
    // Nor of a linked user who was disabled since.
    const auto jwt = sign_jwt(rs256(), id_claims(), rsa_key());
    EXPECT_EQ(http_get(port(), "/api/v1/auth/me", bearer(jwt)).status, 200);
    ASSERT_EQ(kompo({"user", "disable", "ada", "--data-dir", data_.string()}).exit_code, 0);
    EXPECT_EQ(refusal(jwt), "Authorization: no user is linked to this sign-on");
}

TEST(ServerSsoUnavailable, AKeySetThatCannotBeReadIsTheServersFaultNotTheTokens) {
    const auto dir = scratch_dir();
    ServerProcess server(dir / "data", {"--workers", "0"},
                         {{"KOMPO_AUTH_OIDC_ISSUER", kIssuer},
                          {"KOMPO_AUTH_OIDC_AUDIENCE", kAudience},
                          {"KOMPO_AUTH_OIDC_JWKS", (dir / "missing.json").string()}});
    const auto response = http_get(server.port(), "/api/v1/auth/me",
                                   bearer(sign_jwt(rs256(), id_claims(), rsa_key())));
    EXPECT_EQ(response.status, 503) << response.body;
    EXPECT_EQ(response.json()["error"], "sso_unavailable");
    const std::string message = response.json()["message"];
    EXPECT_EQ(message.rfind("jwks: cannot read " + (dir / "missing.json").string(), 0), 0u)
        << message;
}

TEST(ServerSsoOff, AnyJwtIsRefusedWhenSingleSignOnIsNotConfigured) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    for (const auto& jwt : {sign_jwt(rs256(), id_claims(), rsa_key()), unsigned_jwt(id_claims()),
                            std::string("a.b.c")}) {
        const auto response = http_get(server.port(), "/api/v1/auth/me", bearer(jwt));
        EXPECT_EQ(response.status, 401) << response.body;
        EXPECT_EQ(response.json()["message"], "Authorization: single sign-on is not configured");
    }
    // The server's API tokens still work.
    EXPECT_EQ(http_get(server.port(), "/api/v1/auth/me").status, 200);
}

}  // namespace
}  // namespace kompo::test
