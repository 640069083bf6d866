// Accounts on each store backend (store_suite.hpp): users and passwords, sessions and
// tokens kept only as hashes, lockout after failed logins, revocation that takes effect at
// once, and an audit log nobody rewrites.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>

#include "auth/accounts.hpp"
#include "auth/audit.hpp"
#include "auth/passwords.hpp"
#include "auth/rate_limiter.hpp"
#include "auth/roles.hpp"
#include "auth/secrets.hpp"
#include "core/error.hpp"
#include "store/store.hpp"
#include "store_suite.hpp"
#include "support/support.hpp"

namespace kompo::auth {
namespace {

using namespace std::chrono_literals;

const std::string kPassword = "correct horse battery";

class AccountsTest : public test::StoreSuite {
  protected:
    Accounts accounts(AccountSettings settings = {}) { return Accounts(store_, settings); }

    auth::User stored_user(const std::string& name) {
        std::optional<auth::User> user;
        store_.read([&](auth::AccountRows& tx) { user = tx.user_by_name(name); });
        return user.value();
    }

    std::string url_ = backend->fresh_url("kompo");
    std::unique_ptr<store::Store> owned_store_ = store::open_store(url_);
    store::Store& store_ = *owned_store_;
};

TEST_P(AccountsTest, ALoginGivesASessionThatIdentifiesTheUserInTheirTenant) {
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

TEST_P(AccountsTest, AWrongPasswordOrUnknownUserIsRefusedAlike) {
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

TEST_P(AccountsTest, RepeatedFailuresLockTheAccountWithGrowingBackoff) {
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
TEST_P(AccountsTest, ANameNobodyHasLocksLikeAUsersSoLockoutsRevealNoNames) {
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

TEST_P(AccountsTest, DisablingAUserRevokesEverythingAtOnce) {
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

TEST_P(AccountsTest, AResetPasswordSignsSessionsOutButKeepsApiTokens) {
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

TEST_P(AccountsTest, ExpiredSessionsAndRevokedTokensNoLongerAuthenticate) {
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

TEST_P(AccountsTest, OnlyAnAdminRevokesAnotherUsersToken) {
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

TEST_P(AccountsTest, ARoleChangeTakesEffectOnTheNextRequest) {
    auto a = accounts();
    a.add_user("ada", kPassword, "studio", "viewer");
    const auto session = a.login("ada", kPassword);
    EXPECT_EQ(a.authenticate(session.secret)->role, Role::viewer);
    a.grant("ada", "studio", "producer");
    EXPECT_EQ(a.authenticate(session.secret)->role, Role::producer);
}

// A server keeps the credentials it signed in with (CredentialCache); what another
// process (`kompo user disable`, another replica) commits must still count at once.
TEST_P(AccountsTest, WhatAnotherProcessChangesCountsOnTheNextRequest) {
    auto server = accounts();
    std::map<std::string, std::string> session;
    for (const auto& [name, role] :
         {std::pair{"ada", "editor"}, {"bob", "editor"}, {"cy", "viewer"}, {"dee", "editor"}}) {
        server.add_user(name, kPassword, "studio", role);
        session[name] = server.login(name, kPassword).secret;
        ASSERT_TRUE(server.authenticate(session[name]).has_value());
    }
    const auto ada = session["ada"], bob = session["bob"], cy = session["cy"];
    const auto dee =
        server.issue(server.authenticate(session["dee"]).value(), CredentialKind::api, "script");
    ASSERT_TRUE(server.authenticate(dee.secret).has_value());
    const auto other_store = store::open_store(url_);  // another process's connection
    Accounts other(*other_store);

    other.set_disabled("ada", true);
    EXPECT_FALSE(server.authenticate(ada).has_value());
    other.set_member_disabled("bob", "studio", true);
    EXPECT_FALSE(server.authenticate(bob).has_value());
    other.grant("cy", "studio", "producer");
    EXPECT_EQ(server.authenticate(cy)->role, Role::producer);
    const auto dee_principal = other.authenticate(dee.secret).value();
    ASSERT_TRUE(other.revoke(dee_principal, dee.credential.id));
    EXPECT_FALSE(server.authenticate(dee.secret).has_value());
    EXPECT_TRUE(server.authenticate(cy).has_value());  // the others still sign in
}

TEST_P(AccountsTest, TheAccountsRevisionMovesWithWhatSignsInNotWithItsUse) {
    auto a = accounts();
    const auto revision = [&] {
        std::int64_t value = 0;
        store_.read([&](auth::AccountRows& tx) { value = tx.accounts_revision(); });
        return value;
    };
    a.add_user("ada", kPassword, "studio", "editor");
    const auto session = a.login("ada", kPassword);
    const auto before = revision();
    auto used = session.credential;
    used.last_used_at = now_millis() + 1;
    store_.write([&](auth::AccountRows& tx) { tx.put_credential(used); });
    a.add_user("bob", kPassword, "studio", "editor");  // a new user changes no credential
    EXPECT_EQ(revision(), before);

    a.grant("ada", "studio", "viewer");
    const auto after_role = revision();
    EXPECT_GT(after_role, before);
    auto revoked = used;
    revoked.revoked_at = now_millis();
    store_.write([&](auth::AccountRows& tx) { tx.put_credential(revoked); });
    const auto after_revoke = revision();
    EXPECT_GT(after_revoke, after_role);
    a.set_disabled("bob", true);
    EXPECT_GT(revision(), after_revoke);
}

TEST_P(AccountsTest, BadNamesRolesAndTenantsAreRefusedNamingTheField) {
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

TEST_P(AccountsTest, TheAuditLogCannotBeChangedOrDeleted) {
    record_audit(store_, {"ada", "studio", "login", "ada", "ok", "127.0.0.1", {}});
    std::vector<auth::AuditEntry> entries;
    store_.read([&](auth::AccountRows& tx) { entries = tx.audit({}); });
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_NE(audit_line(entries[0]).find("ok  ada@studio  login  ada  from 127.0.0.1"),
              std::string::npos)
        << audit_line(entries[0]);
    // Even raw SQL on the same database, past every code path of ours, is refused.
    EXPECT_THROW(backend->query(url_, "UPDATE audit SET outcome = 'ok'"), std::exception);
    EXPECT_THROW(backend->query(url_, "DELETE FROM audit"), std::exception);
    store_.read([&](auth::AccountRows& tx) { EXPECT_EQ(tx.audit({}).size(), 1u); });
}

KOMPO_ON_EVERY_STORE(AccountsTest);

}  // namespace
}  // namespace kompo::auth
