#pragma once
// The rows accounts keep (users and their memberships, credentials, the audit log), and
// the small interfaces auth reads and writes them through. Declared here, where they are
// used; a store backend (src/store) implements them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/transactional.hpp"

namespace kompo::auth {

// A user signs in with a name and password (or single sign-on) and belongs to tenants
// with a role in each.
struct User {
    std::string id;
    std::string name;           // the login name, unique
    std::string password_hash;  // Argon2id, libsodium's string form; empty: no password
    bool disabled = false;
    std::string external_subject;    // single sign-on: "<issuer> <sub>"; empty: none
    std::int64_t failed_logins = 0;  // in a row, since the last success
    Millis locked_until = 0;         // login refused until then
    Millis created_at = 0;
    Millis updated_at = 0;
};

struct Membership {
    std::string user_id;
    std::string tenant;
    std::string role;  // "viewer", "editor", "producer", "admin"
};

// A bearer secret: a browser session, an API token or a worker token. Only a hash of the
// secret is kept, so a copy of the store signs nobody in.
struct Credential {
    std::string id;
    std::string secret_hash;
    std::string kind;  // "session", "api", "worker"
    std::string user_id;
    std::string tenant;
    std::string label;
    Millis created_at = 0;
    Millis expires_at = 0;  // 0: never
    Millis revoked_at = 0;  // 0: not revoked
    Millis last_used_at = 0;
};

// One line of the append-only audit log.
struct AuditEntry {
    std::int64_t id = 0;  // assigned by the store, increasing
    Millis at = 0;
    std::string actor;    // user name, or "" when nobody was signed in
    std::string tenant;   // "" when none applies
    std::string action;   // "login", "token.create", "permission.denied", "render.start", ...
    std::string target;   // what it was done to
    std::string outcome;  // "ok", "refused", ...
    std::string remote;   // the client's address
    std::string detail;   // JSON object
};

struct AuditQuery {
    std::string tenant{};  // empty: every tenant
    std::string actor{};   // empty: anyone
    Millis since = 0;
    std::int64_t after_id = 0;
    std::size_t limit = 100;
};

class UserRows {
  public:
    virtual ~UserRows() = default;
    virtual std::optional<User> user(const std::string& id) = 0;
    virtual std::optional<User> user_by_name(const std::string& name) = 0;
    virtual std::optional<User> user_by_subject(const std::string& external_subject) = 0;
    virtual std::vector<User> users() = 0;        // by name
    virtual void put_user(const User& user) = 0;  // insert or update by id
    virtual std::vector<Membership> memberships_of(const std::string& user_id) = 0;
    virtual std::vector<Membership> members_of(const std::string& tenant) = 0;
    virtual void put_membership(const Membership& membership) = 0;
};

class CredentialRows {
  public:
    virtual ~CredentialRows() = default;
    virtual std::optional<Credential> credential(const std::string& id) = 0;
    virtual std::optional<Credential> credential_by_hash(const std::string& secret_hash) = 0;
    virtual std::vector<Credential> credentials_of(const std::string& user_id) = 0;
    virtual void put_credential(const Credential& credential) = 0;  // insert or update by id
    // A number that grows with every committed change (by any process) to what a
    // credential signs in as: its revocation or expiry, its user's name or disabled flag,
    // its tenant's membership. Unchanged: whom every credential named then names now.
    virtual std::int64_t accounts_revision() = 0;
};

// Append-only: there is no way to change or delete an entry.
class AuditRows {
  public:
    virtual ~AuditRows() = default;
    virtual std::int64_t append_audit(const AuditEntry& entry) = 0;
    virtual std::vector<AuditEntry> audit(const AuditQuery& query) = 0;
};

// What one accounts transaction reaches.
class AccountRows : public UserRows, public CredentialRows, public AuditRows {};

using AccountStore = Transactional<AccountRows>;

}  // namespace kompo::auth
