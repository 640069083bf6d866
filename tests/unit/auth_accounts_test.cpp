// Accounts on a real SQLite store: users and passwords (Argon2id), sessions and tokens
// kept only as hashes, lockout after failed logins, revocation that takes effect at
// once, roles and their permissions, the rate limiter, and an audit log nobody rewrites.
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
#include "store/sqlite_handles.hpp"
#include "store/sqlite_store.hpp"
#include "support/support.hpp"

namespace kompo::auth {
namespace {

using namespace std::chrono_literals;

const std::string kPassword = "correct horse battery";

class AccountsTest : public ::testing::Test {
  protected:
    AccountsTest()
        : db_path_((kompo::test::scratch_dir() / "kompo.db").string()), store_(db_path_) {}

    Accounts accounts(AccountSettings settings = {}) { return Accounts(store_, settings); }

    auth::User stored_user(const std::string& name) {
        std::optional<auth::User> user;
        store_.read([&](auth::AccountRows& tx) { user = tx.user_by_name(name); });
        return user.value();
    }

    std::string db_path_;  // scratch_dir() empties its folder each call: asked once
    store::SqliteStore store_;
};

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

TEST_F(AccountsTest, ALoginGivesASessionThatIdentifiesTheUserInTheirTenant) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "editor");
    const auto issued = a.login("ada", kPassword);
    EXPECT_EQ(issued.credential.kind, "session");
    EXPECT_EQ(issued.credential.secret_hash, secret_hash(issued.secret));
    const auto who = a.authenticate(issued.secret);
    ASSERT_TRUE(who.has_value());
    EXPECT_EQ(who->user_name, "ada");
    EXPECT_EQ(who->tenant, "studio");
    EXPECT_EQ(who->role, Role::editor);
    EXPECT_FALSE(a.authenticate(issued.secret + "x").has_value());
}

TEST_F(AccountsTest, AWrongPasswordOrUnknownUserIsRefusedAlike) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "editor");
    try {
        a.login("ada", "wrong password!");
        FAIL() << "a wrong password signed in";
    } catch (const LoginRefused& wrong) {
        try {
            a.login("nobody", kPassword);
            FAIL() << "an unknown user signed in";
        } catch (const LoginRefused& unknown) {
            EXPECT_STREQ(wrong.what(), unknown.what());
        }
    }
}

TEST_F(AccountsTest, RepeatedFailuresLockTheAccountWithGrowingBackoff) {
    auto a = accounts({3600, 3, 30, 900});
    a.add_user("ada", kPassword, "studio", "editor");
    for (int i = 0; i < 3; ++i) EXPECT_THROW(a.login("ada", "wrong password!"), LoginRefused);
    try {
        a.login("ada", kPassword);  // right, but locked
        FAIL() << "a locked account signed in";
    } catch (const LoginRefused& locked) {
        EXPECT_GT(locked.retry_after_seconds, 25);
        EXPECT_LE(locked.retry_after_seconds, 30);
    }
    // The lockout doubles with each further failure (a test may not wait it out: the
    // stored lock is moved back instead, as time passing would).
    auto user = stored_user("ada");
    user.locked_until = 0;
    store_.write([&](auth::AccountRows& tx) { tx.put_user(user); });
    EXPECT_THROW(a.login("ada", "wrong password!"), LoginRefused);
    const auto now = now_millis();
    EXPECT_GT(stored_user("ada").locked_until, now + 55'000);
    EXPECT_LE(stored_user("ada").locked_until, now + 60'000);
}

// Lockouts must not tell which names exist: a name nobody has locks after as many
// failures, with the same message and wait, as a user's does.
TEST_F(AccountsTest, ANameNobodyHasLocksLikeAUsersSoLockoutsRevealNoNames) {
    auto a = accounts({3600, 3, 30, 900});
    a.add_user("ada", kPassword, "studio", "editor");
    const auto answers = [&](const std::string& name) {
        std::vector<std::pair<std::string, std::int64_t>> seen;
        for (int i = 0; i < 4; ++i) {
            try {
                a.login(name, "wrong password!");
                ADD_FAILURE() << name << " signed in with a wrong password";
            } catch (const LoginRefused& refused) {
                seen.emplace_back(refused.what(), refused.retry_after_seconds > 0 ? 1 : 0);
            }
        }
        return seen;
    };
    const auto of_user = answers("ada");
    const auto of_nobody = answers("nobody");
    EXPECT_EQ(of_nobody, of_user);
    EXPECT_EQ(of_user.back().second, 1);  // the fourth attempt met the lockout
}

TEST_F(AccountsTest, DisablingAUserRevokesEverythingAtOnce) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "editor");
    const auto session = a.login("ada", kPassword);
    const auto token = a.issue(*a.authenticate(session.secret), CredentialKind::api, "script");
    ASSERT_TRUE(a.authenticate(token.secret).has_value());
    a.set_disabled("ada", true);
    EXPECT_FALSE(a.authenticate(session.secret).has_value());
    EXPECT_FALSE(a.authenticate(token.secret).has_value());
    EXPECT_THROW(a.login("ada", kPassword), LoginRefused);
}

TEST_F(AccountsTest, AResetPasswordSignsSessionsOutButKeepsApiTokens) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "editor");
    const auto session = a.login("ada", kPassword);
    const auto token = a.issue(*a.authenticate(session.secret), CredentialKind::api, "script");
    a.reset_password("ada", "another long password");
    EXPECT_FALSE(a.authenticate(session.secret).has_value());
    EXPECT_TRUE(a.authenticate(token.secret).has_value());
    EXPECT_THROW(a.login("ada", kPassword), LoginRefused);
    EXPECT_NO_THROW(a.login("ada", "another long password"));
}

TEST_F(AccountsTest, ExpiredSessionsAndRevokedTokensNoLongerAuthenticate) {
    auto a = accounts({1, 5, 30, 900});
    a.add_user("ada", kPassword, "studio", "admin");
    const auto session = a.login("ada", kPassword);
    const auto who = a.authenticate(session.secret).value();
    auto stored = session.credential;
    stored.expires_at = now_millis() - 1;
    store_.write([&](auth::AccountRows& tx) { tx.put_credential(stored); });
    EXPECT_FALSE(a.authenticate(session.secret).has_value());

    const auto token = a.issue(who, CredentialKind::api, "script");
    EXPECT_TRUE(a.revoke(who, token.credential.id));
    EXPECT_FALSE(a.authenticate(token.secret).has_value());
    EXPECT_FALSE(a.revoke(who, token.credential.id));  // already
}

TEST_F(AccountsTest, OnlyAnAdminRevokesAnotherUsersToken) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "editor");
    a.add_user("bob", kPassword, "studio", "editor");
    a.add_user("boss", kPassword, "studio", "admin");
    a.add_user("eve", kPassword, "elsewhere", "admin");
    const auto bob = a.authenticate(a.login("bob", kPassword).secret).value();
    const auto token = a.issue(bob, CredentialKind::api, "bob's");
    const auto ada = a.authenticate(a.login("ada", kPassword).secret).value();
    const auto eve = a.authenticate(a.login("eve", kPassword).secret).value();
    EXPECT_FALSE(a.revoke(ada, token.credential.id));
    EXPECT_FALSE(a.revoke(eve, token.credential.id));  // an admin of another tenant
    const auto boss = a.authenticate(a.login("boss", kPassword).secret).value();
    EXPECT_TRUE(a.revoke(boss, token.credential.id));
}

TEST_F(AccountsTest, ARoleChangeTakesEffectOnTheNextRequest) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "viewer");
    const auto session = a.login("ada", kPassword);
    EXPECT_EQ(a.authenticate(session.secret)->role, Role::viewer);
    a.grant("ada", "studio", "producer");
    EXPECT_EQ(a.authenticate(session.secret)->role, Role::producer);
}

TEST_F(AccountsTest, BadNamesRolesAndTenantsAreRefusedNamingTheField) {
    auto a = accounts();
    const auto message = [&](auto call) {
        try {
            call();
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(message([&] { a.add_user("a b", kPassword, "t", "editor"); }).rfind("name:", 0), 0u);
    EXPECT_EQ(message([&] { a.add_user("ok", kPassword, "../x", "editor"); }).rfind("tenant:", 0),
              0u);
    EXPECT_EQ(message([&] { a.add_user("ok", kPassword, "t", "root"); }).rfind("role:", 0), 0u);
    EXPECT_EQ(message([&] { a.add_user("ok", "short", "t", "editor"); }).rfind("password:", 0), 0u);
    a.add_user("ok", kPassword, "t", "editor");
    EXPECT_NE(message([&] { a.add_user("ok", kPassword, "t", "editor"); }).find("exists"),
              std::string::npos);
}

TEST_F(AccountsTest, TheAuditLogCannotBeChangedOrDeleted) {
    record_audit(store_, {"ada", "studio", "login", "ada", "ok", "127.0.0.1", {}});
    std::vector<auth::AuditEntry> entries;
    store_.read([&](auth::AccountRows& tx) { entries = tx.audit({}); });
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_NE(audit_line(entries[0]).find("ok  ada@studio  login  ada  from 127.0.0.1"),
              std::string::npos)
        << audit_line(entries[0]);
    // Even raw SQL on the same file, past every code path of ours, is refused.
    const auto db = store::open_connection(db_path_);
    EXPECT_THROW(store::execute(db.get(), "UPDATE audit SET outcome = 'ok'"), Error);
    EXPECT_THROW(store::execute(db.get(), "DELETE FROM audit"), Error);
    store_.read([&](auth::AccountRows& tx) { EXPECT_EQ(tx.audit({}).size(), 1u); });
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
