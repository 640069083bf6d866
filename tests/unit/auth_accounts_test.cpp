// Roles and their permissions, password hashes (Argon2id), secrets kept only as hashes,
// and the rate limiter. Accounts on each store backend are
// tests/store_suite/accounts_store_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "auth/accounts.hpp"
#include "auth/audit.hpp"
#include "auth/passwords.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/roles.hpp"
#include "auth/secrets.hpp"
#include "core/error.hpp"

namespace kompo::auth {
namespace {

using namespace std::chrono_literals;

const std::string kPassword = "correct horse battery";

TEST(Roles, EachRoleGrantsWhatTheOneBeforeItDoesAndMore) {
    EXPECT_EQ(permissions_of(Role::viewer), (std::vector<std::string>{"read"}));
    EXPECT_EQ(permissions_of(Role::editor), (std::vector<std::string>{"read", "edit", "render"}));
    EXPECT_EQ(permissions_of(Role::producer),
              (std::vector<std::string>{"read", "edit", "render", "batch"}));
    EXPECT_EQ(permissions_of(Role::admin),
              (std::vector<std::string>{"read", "edit", "render", "batch", "admin"}));
    // The platform's operator is above every tenant's admin: /metrics is server-wide.
    EXPECT_EQ(permissions_of(Role::platform_operator),
              (std::vector<std::string>{"read", "edit", "render", "batch", "admin", "operate"}));
    EXPECT_FALSE(role_from("root").has_value());
}

TEST(Roles, AWorkerTokenMayOnlyOperate) {
    const Principal worker{"u", "ops", "t", Role::platform_operator, CredentialKind::worker, "c"};
    EXPECT_TRUE(worker.may(Permission::operate));
    EXPECT_FALSE(worker.may(Permission::read));
    EXPECT_FALSE(worker.may(Permission::admin));
}

TEST(Passwords, AreHashedWithArgon2idAndVerified) {
    const auto hash = hash_password(kPassword);
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
    EXPECT_EQ(hash.find(kPassword), std::string::npos);
    EXPECT_TRUE(verify_password(hash, kPassword));
    EXPECT_FALSE(verify_password(hash, kPassword + "!"));
    EXPECT_NE(hash_password(kPassword), hash);  // salted
    EXPECT_THROW(check_password_rules("short"), Error);
}

TEST(Secrets, AreRandomPrefixedAndStoredAsHashesOnly) {
    const auto a = new_secret("kpa");
    const auto b = new_secret("kpa");
    EXPECT_NE(a, b);
    EXPECT_EQ(a.rfind("kpa_", 0), 0u);
    EXPECT_EQ(a.size(), 4u + 43u);  // 256 bits in URL-safe base64
    EXPECT_EQ(secret_hash(a).size(), 64u);
    EXPECT_NE(derived_token(a, "csrf"), derived_token(b, "csrf"));
    EXPECT_NE(derived_token(a, "csrf"), secret_hash(a));
}

TEST(RateLimiter, AllowsABurstThenRefillsAtItsRate) {
    RateLimiter limiter(2.0, 3.0);
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.allow("ip", t0));
    EXPECT_FALSE(limiter.allow("ip", t0));
    EXPECT_TRUE(limiter.allow("other", t0));  // keys are independent
    EXPECT_NEAR(limiter.wait_seconds("ip", t0), 0.5, 1e-9);
    EXPECT_TRUE(limiter.allow("ip", t0 + 500ms));
    EXPECT_FALSE(limiter.allow("ip", t0 + 500ms));
}

TEST(RateLimiter, ForgetsIdleKeysToStayBounded) {
    RateLimiter limiter(1.0, 1.0, 4);
    const auto t0 = RateLimiter::Clock::now();
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(limiter.allow("k" + std::to_string(i), t0));
    // Full again a second later: the next key makes room by forgetting them.
    EXPECT_TRUE(limiter.allow("k9", t0 + 1s));
    EXPECT_TRUE(limiter.allow("k0", t0 + 1s));
}

}  // namespace
}  // namespace kompo::auth
