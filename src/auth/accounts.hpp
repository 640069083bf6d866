#pragma once
// Users, their tenants and roles, and the credentials they sign in with: the accounts
// service over the store. The server and `kompo user` both go through it.
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/credential_cache.hpp"
#include "auth/principal.hpp"
#include "auth/rows.hpp"

namespace kompo::auth {

struct AccountSettings {
    double session_seconds = 7 * 24 * 3600;
    int lockout_after_failures = 5;           // failed logins in a row before a lockout
    std::int64_t lockout_first_seconds = 30;  // doubles with every further failure...
    std::int64_t lockout_max_seconds = 900;   // ...up to this
};

// A login that was refused; `retry_after_seconds` > 0 when the account is locked.
class LoginRefused : public std::runtime_error {
  public:
    LoginRefused(const std::string& message, std::int64_t retry_after)
        : std::runtime_error(message), retry_after_seconds(retry_after) {}
    std::int64_t retry_after_seconds;
};

// A credential just made: the secret is shown this once and never stored.
struct IssuedCredential {
    Credential credential;
    std::string secret;
};

struct UserView {
    User user;
    std::vector<Membership> memberships;
};

class Accounts {
  public:
    Accounts(AccountStore& store, AccountSettings settings = {});

    // Throws Error(invalid_input) naming `name`, `password`, `role` or `tenant`; a name
    // ending in "@<another tenant that has members>" is that tenant's (name_in_tenant).
    User add_user(const std::string& name, const std::string& password, const std::string& tenant,
                  const std::string& role);
    void grant(const std::string& name, const std::string& tenant, const std::string& role);
    // Disabling also revokes every credential of the user: it takes effect at once. The
    // platform operator's (`kompo user disable`): it signs the user out of every tenant.
    void set_disabled(const std::string& name, bool disabled);
    // A tenant admin's: disables (or enables) the user's membership of `tenant` only,
    // revoking their credentials for that tenant; their other tenants are untouched.
    void set_member_disabled(const std::string& name, const std::string& tenant, bool disabled);
    // Revokes the user's sessions (not API tokens: scripts keep working).
    void reset_password(const std::string& name, const std::string& password);
    std::vector<UserView> list() const;
    std::optional<UserView> find(const std::string& name) const;
    // Links a user to a single sign-on identity ("<issuer> <sub>").
    void link_subject(const std::string& name, const std::string& subject);

    // A session for the user's tenant (`tenant` empty: their first). Throws LoginRefused.
    IssuedCredential login(const std::string& name, const std::string& password,
                           const std::string& tenant = "");
    // `kind` api or worker; `ttl_seconds` 0: no expiry.
    IssuedCredential issue(const Principal& owner, CredentialKind kind, const std::string& label,
                           std::int64_t ttl_seconds = 0);
    IssuedCredential issue_for(const std::string& user_name, const std::string& tenant,
                               CredentialKind kind, const std::string& label);
    // Who holds this secret, if it is a live credential of an enabled user. Of what
    // another process or replica committed, as much as of this one's own changes.
    std::optional<Principal> authenticate(const std::string& secret);
    // The principal of a verified single sign-on identity, if it maps to a user.
    std::optional<Principal> principal_for_subject(const std::string& subject,
                                                   const std::string& tenant = "");
    std::vector<Credential> credentials_of(const std::string& user_id) const;
    // Revokes one of `owner`'s credentials (an admin: any in their tenant); false if none.
    bool revoke(const Principal& owner, const std::string& credential_id);

  private:
    std::optional<Principal> principal_of(const User& user, const std::string& tenant,
                                          CredentialKind kind, const std::string& credential_id,
                                          AccountRows& tx) const;
    // The principal of a credential that is not revoked (expiry is the caller's check).
    std::optional<CredentialCache::Entry> signed_in_with(const std::string& hash,
                                                         AccountRows& tx) const;
    User existing_user(AccountRows& tx, const std::string& name) const;
    void record_failure(User user, Millis now);
    Millis lockout_end(int failures, Millis now) const;
    // A name nobody has answers a lockout as a user's would, so lockouts tell no one which
    // names exist. Kept in memory (bounded): there is nothing to protect, only to mimic.
    std::int64_t unknown_name_locked_for(const std::string& name, Millis now);
    void record_unknown_name_failure(const std::string& name, Millis now);

    struct UnknownName {
        int failures = 0;
        Millis locked_until = 0;
    };
    AccountStore& store_;
    AccountSettings settings_;
    std::unique_ptr<std::mutex> unknown_names_mutex_ = std::make_unique<std::mutex>();
    std::unordered_map<std::string, UnknownName> unknown_names_;
    std::unique_ptr<CredentialCache> credentials_;
};

// A membership disabled by its tenant's admin keeps its role (stored "disabled:<role>",
// which no role parses as, so no credential for that tenant authenticates).
bool membership_disabled(const Membership& membership);
// The membership's role, disabled or not.
std::string membership_role(const Membership& membership);

// User names: 1-64 characters of letters, digits, '.', '_', '-', '@'.
void check_user_name(const std::string& name);
// The name a tenant admin's new user gets: "<name>@<tenant>" (unless it already ends so).
// User names are global (they sign in), so a name a tenant admin picks lives in the
// tenant's own namespace: whether it is taken says nothing about other tenants.
std::string name_in_tenant(const std::string& name, const std::string& tenant);
// Tenant ids: 1-64 characters of lowercase letters, digits, '_' and '-' (they name folders).
void check_tenant(const std::string& tenant);

}  // namespace kompo::auth
