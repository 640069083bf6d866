#include "auth/accounts.hpp"

#include <algorithm>

#include "auth/passwords.hpp"
#include "auth/secrets.hpp"
#include "core/error.hpp"
#include "core/field_error.hpp"
#include "core/random_hex.hpp"

namespace kompo::auth {

namespace {

constexpr Millis kSecond = 1000;
// Credentials signed in with, kept in memory (CredentialCache): more than the sessions
// and tokens in use at once on one server, and a few MB at most.
constexpr std::size_t kCredentialsKept = 10'000;
// last_used_at is a hint for people, not a security control: written at most once a
// minute per credential, so authenticating stays a read.
constexpr Millis kLastUsedResolution = 60 * kSecond;

bool plain_char(char c, bool lowercase_only) {
    if (c >= '0' && c <= '9') return true;
    if (c >= 'a' && c <= 'z') return true;
    if (!lowercase_only && c >= 'A' && c <= 'Z') return true;
    if (c == '_' || c == '-') return true;
    return !lowercase_only && (c == '.' || c == '@');
}

void check_identifier(const std::string& field, const std::string& value, bool lowercase_only) {
    if (value.empty() || value.size() > 64) {
        throw FieldError(field, "must be 1 to 64 characters");
    }
    const bool plain = std::all_of(value.begin(), value.end(),
                                   [&](char c) { return plain_char(c, lowercase_only); });
    if (!plain || value.front() == '.' || value.front() == '-') {
        throw FieldError(field,
                         "\"" + value + "\" has characters other than " +
                             (lowercase_only ? "a-z 0-9 _ -" : "letters, digits and . _ - @"));
    }
}

Role checked_role(const std::string& name) {
    const auto role = role_from(name);
    if (!role) {
        throw FieldError("role",
                         "\"" + name + "\" is not viewer, editor, producer, admin or operator");
    }
    return *role;
}

const char* prefix_of(CredentialKind kind) {
    switch (kind) {
        case CredentialKind::session:
            return "kps";
        case CredentialKind::api:
            return "kpa";
        case CredentialKind::worker:
            return "kpw";
        case CredentialKind::sso:
            return "kpo";
    }
    return "kp";
}

std::optional<CredentialKind> kind_from(const std::string& name) {
    for (auto kind : {CredentialKind::session, CredentialKind::api, CredentialKind::worker}) {
        if (name == kind_name(kind)) return kind;
    }
    return std::nullopt;
}

IssuedCredential make_credential(const User& user, const std::string& tenant, CredentialKind kind,
                                 const std::string& label, Millis ttl) {
    const Millis now = now_millis();
    IssuedCredential issued;
    issued.secret = new_secret(prefix_of(kind));
    issued.credential = Credential{random_hex(24),
                                   secret_hash(issued.secret),
                                   kind_name(kind),
                                   user.id,
                                   tenant,
                                   label,
                                   now,
                                   ttl > 0 ? now + ttl : 0,
                                   0,
                                   now};
    return issued;
}

constexpr std::string_view kDisabledRole = "disabled:";

std::string stored_role(const std::string& role, bool disabled) {
    return disabled ? std::string(kDisabledRole) + role : role;
}

}  // namespace

bool membership_disabled(const Membership& membership) {
    return membership.role.starts_with(kDisabledRole);
}

std::string membership_role(const Membership& membership) {
    return membership_disabled(membership) ? membership.role.substr(kDisabledRole.size())
                                           : membership.role;
}

void check_user_name(const std::string& name) {
    check_identifier("name", name, false);
}

void check_tenant(const std::string& tenant) {
    check_identifier("tenant", tenant, true);
}

std::string name_in_tenant(const std::string& name, const std::string& tenant) {
    const auto suffix = "@" + tenant;
    return name.ends_with(suffix) ? name : name + suffix;
}

namespace {

// "bob@acme" belongs in tenant acme once acme has members: another tenant's user of that
// name would make acme's admin's "bob" answer 409, telling them about that tenant.
void check_not_another_tenants_name(AccountRows& tx, const std::string& name,
                                    const std::string& tenant) {
    const auto at = name.rfind('@');
    if (at == std::string::npos) return;
    const auto owner = name.substr(at + 1);
    if (owner == tenant || owner.empty() || tx.members_of(owner).empty()) return;
    throw FieldError("name", "\"" + name + "\" ends in @" + owner + ", the names of tenant " +
                                 owner + "'s users");
}

}  // namespace

Accounts::Accounts(AccountStore& store, AccountSettings settings)
    : store_(store),
      settings_(settings),
      credentials_(std::make_unique<CredentialCache>(kCredentialsKept)) {}

User Accounts::existing_user(AccountRows& tx, const std::string& name) const {
    auto user = tx.user_by_name(name);
    if (!user) throw FieldError("name", "no user \"" + name + "\"");
    return *user;
}

User Accounts::add_user(const std::string& name, const std::string& password,
                        const std::string& tenant, const std::string& role) {
    check_user_name(name);
    check_tenant(tenant);
    checked_role(role);
    check_password_rules(password);
    const Millis now = now_millis();
    User user{random_hex(24), name, hash_password(password), false, "", 0, 0, now, now};
    store_.write([&](AccountRows& tx) {
        if (tx.user_by_name(name)) throw FieldError("name", "user \"" + name + "\" exists");
        check_not_another_tenants_name(tx, name, tenant);
        tx.put_user(user);
        tx.put_membership({user.id, tenant, role});
    });
    return user;
}

void Accounts::grant(const std::string& name, const std::string& tenant, const std::string& role) {
    check_tenant(tenant);
    checked_role(role);
    store_.write([&](AccountRows& tx) {
        const auto user = existing_user(tx, name);
        bool disabled = false;  // a new role does not enable a disabled membership
        for (const auto& m : tx.memberships_of(user.id)) {
            if (m.tenant == tenant) disabled = membership_disabled(m);
        }
        tx.put_membership({user.id, tenant, stored_role(role, disabled)});
    });
}

void Accounts::set_member_disabled(const std::string& name, const std::string& tenant,
                                   bool disabled) {
    store_.write([&](AccountRows& tx) {
        const auto user = existing_user(tx, name);
        const auto memberships = tx.memberships_of(user.id);
        const auto membership =
            std::find_if(memberships.begin(), memberships.end(),
                         [&](const Membership& m) { return m.tenant == tenant; });
        if (membership == memberships.end()) {
            throw FieldError("name", name + " is no member of " + tenant);
        }
        tx.put_membership({user.id, tenant, stored_role(membership_role(*membership), disabled)});
        if (!disabled) return;
        const auto now = now_millis();
        for (auto c : tx.credentials_of(user.id)) {
            if (c.revoked_at != 0 || c.tenant != tenant) continue;
            c.revoked_at = now;
            tx.put_credential(c);
        }
    });
}

void Accounts::set_disabled(const std::string& name, bool disabled) {
    store_.write([&](AccountRows& tx) {
        auto user = existing_user(tx, name);
        user.disabled = disabled;
        user.updated_at = now_millis();
        tx.put_user(user);
        if (!disabled) return;
        for (auto c : tx.credentials_of(user.id)) {
            if (c.revoked_at != 0) continue;
            c.revoked_at = user.updated_at;
            tx.put_credential(c);
        }
    });
}

void Accounts::reset_password(const std::string& name, const std::string& password) {
    check_password_rules(password);
    const auto hash = hash_password(password);
    store_.write([&](AccountRows& tx) {
        auto user = existing_user(tx, name);
        user.password_hash = hash;
        user.failed_logins = 0;
        user.locked_until = 0;
        user.updated_at = now_millis();
        tx.put_user(user);
        for (auto c : tx.credentials_of(user.id)) {
            if (c.kind != "session" || c.revoked_at != 0) continue;
            c.revoked_at = user.updated_at;
            tx.put_credential(c);
        }
    });
}

std::vector<UserView> Accounts::list() const {
    std::vector<UserView> views;
    store_.read([&](AccountRows& tx) {
        for (auto& user : tx.users()) {
            auto memberships = tx.memberships_of(user.id);
            views.push_back({std::move(user), std::move(memberships)});
        }
    });
    return views;
}

std::optional<UserView> Accounts::find(const std::string& name) const {
    std::optional<UserView> view;
    store_.read([&](AccountRows& tx) {
        if (auto user = tx.user_by_name(name)) view = UserView{*user, tx.memberships_of(user->id)};
    });
    return view;
}

void Accounts::link_subject(const std::string& name, const std::string& subject) {
    store_.write([&](AccountRows& tx) {
        auto user = existing_user(tx, name);
        user.external_subject = subject;
        user.updated_at = now_millis();
        tx.put_user(user);
    });
}

Millis Accounts::lockout_end(int failures, Millis now) const {
    const auto beyond = failures - settings_.lockout_after_failures;
    if (beyond < 0) return 0;
    const auto doubling = std::min<std::int64_t>(beyond, 20);
    const auto seconds =
        std::min(settings_.lockout_first_seconds << doubling, settings_.lockout_max_seconds);
    return now + seconds * kSecond;
}

void Accounts::record_failure(User user, Millis now) {
    ++user.failed_logins;
    if (const auto until = lockout_end(user.failed_logins, now)) user.locked_until = until;
    user.updated_at = now;
    store_.write([&](AccountRows& tx) { tx.put_user(user); });
}

std::int64_t Accounts::unknown_name_locked_for(const std::string& name, Millis now) {
    std::lock_guard lock(*unknown_names_mutex_);
    const auto found = unknown_names_.find(name);
    if (found == unknown_names_.end() || found->second.locked_until <= now) return 0;
    return (found->second.locked_until - now + kSecond - 1) / kSecond;
}

void Accounts::record_unknown_name_failure(const std::string& name, Millis now) {
    constexpr std::size_t kMostNames = 100'000;  // a flood of names cannot grow it forever
    std::lock_guard lock(*unknown_names_mutex_);
    if (unknown_names_.size() >= kMostNames && !unknown_names_.contains(name)) {
        std::erase_if(unknown_names_,
                      [&](const auto& entry) { return entry.second.locked_until <= now; });
        if (unknown_names_.size() >= kMostNames) unknown_names_.clear();
    }
    auto& entry = unknown_names_[name];
    ++entry.failures;
    if (const auto until = lockout_end(entry.failures, now)) entry.locked_until = until;
}

IssuedCredential Accounts::login(const std::string& name, const std::string& password,
                                 const std::string& tenant) {
    const Millis now = now_millis();
    std::optional<User> user;
    std::vector<Membership> memberships;
    store_.read([&](AccountRows& tx) {
        user = tx.user_by_name(name);
        if (user) memberships = tx.memberships_of(user->id);
    });
    const std::string refused = "The name or the password is wrong.";
    const auto locked = [](std::int64_t seconds) {
        return LoginRefused(
            "Too many failed sign-ins: try again in " + std::to_string(seconds) + " s.", seconds);
    };
    if (!user) {
        if (const auto seconds = unknown_name_locked_for(name, now)) throw locked(seconds);
        spend_verification_time(password);
        record_unknown_name_failure(name, now);
        throw LoginRefused(refused, 0);
    }
    if (user->locked_until > now) throw locked((user->locked_until - now + kSecond - 1) / kSecond);
    if (!verify_password(user->password_hash, password)) {
        record_failure(*user, now);
        throw LoginRefused(refused, 0);
    }
    if (user->disabled) throw LoginRefused("This account is disabled.", 0);
    const auto membership =
        std::find_if(memberships.begin(), memberships.end(), [&](const Membership& m) {
            return (tenant.empty() || m.tenant == tenant) && !membership_disabled(m);
        });
    if (membership == memberships.end()) {
        throw LoginRefused("This account has no access to " +
                               (tenant.empty() ? std::string("any tenant") : "tenant " + tenant) +
                               ".",
                           0);
    }
    auto issued = make_credential(*user, membership->tenant, CredentialKind::session, "session",
                                  static_cast<Millis>(settings_.session_seconds * kSecond));
    user->failed_logins = 0;
    user->locked_until = 0;
    store_.write([&](AccountRows& tx) {
        tx.put_user(*user);
        tx.put_credential(issued.credential);
    });
    return issued;
}

IssuedCredential Accounts::issue(const Principal& owner, CredentialKind kind,
                                 const std::string& label, std::int64_t ttl_seconds) {
    if (kind == CredentialKind::session || kind == CredentialKind::sso) {
        throw FieldError("kind", "only api and worker tokens are issued this way");
    }
    if (label.size() > 200) throw FieldError("label", "at most 200 characters");
    IssuedCredential issued;
    store_.write([&](AccountRows& tx) {
        const auto user = tx.user(owner.user_id);
        if (!user) throw FieldError("user", "no such user");
        issued = make_credential(*user, owner.tenant, kind, label, ttl_seconds * kSecond);
        tx.put_credential(issued.credential);
    });
    return issued;
}

IssuedCredential Accounts::issue_for(const std::string& user_name, const std::string& tenant,
                                     CredentialKind kind, const std::string& label) {
    std::optional<Principal> owner;
    store_.read([&](AccountRows& tx) {
        const auto user = existing_user(tx, user_name);
        const auto memberships = tx.memberships_of(user.id);
        for (const auto& m : memberships) {
            if (!tenant.empty() && m.tenant != tenant) continue;
            owner = principal_of(user, m.tenant, kind, "", tx);
            break;
        }
    });
    if (!owner) throw FieldError("tenant", user_name + " is no member of " + tenant);
    return issue(*owner, kind, label);
}

std::optional<Principal> Accounts::principal_of(const User& user, const std::string& tenant,
                                                CredentialKind kind,
                                                const std::string& credential_id,
                                                AccountRows& tx) const {
    if (user.disabled) return std::nullopt;
    for (const auto& m : tx.memberships_of(user.id)) {
        if (m.tenant != tenant) continue;
        const auto role = role_from(m.role);
        if (!role) return std::nullopt;
        return Principal{user.id, user.name, tenant, *role, kind, credential_id};
    }
    return std::nullopt;
}

// One read either way: the accounts revision, and the credential's rows only when this
// process has not signed in with it since the revision last changed (CredentialCache).
std::optional<Principal> Accounts::authenticate(const std::string& secret) {
    if (secret.empty() || secret.size() > 200) return std::nullopt;
    const Millis now = now_millis();
    const auto hash = secret_hash(secret);
    std::optional<CredentialCache::Entry> signed_in;
    std::int64_t revision = 0;
    bool kept = false;
    store_.read([&](AccountRows& tx) {
        revision = tx.accounts_revision();
        signed_in = credentials_->find(hash, revision);
        kept = signed_in.has_value();
        if (!kept) signed_in = signed_in_with(hash, tx);
    });
    if (!signed_in) return std::nullopt;
    if (!kept) credentials_->put(hash, revision, *signed_in);
    if (signed_in->expires_at != 0 && signed_in->expires_at <= now) return std::nullopt;
    if (now - signed_in->last_used_at >= kLastUsedResolution) {
        signed_in->last_used_at = now;
        store_.write([&](AccountRows& tx) {
            // Re-read: a revocation that landed in between must not be undone.
            if (auto current = tx.credential(signed_in->principal.credential_id)) {
                current->last_used_at = now;
                tx.put_credential(*current);
            }
        });
        credentials_->put(hash, revision, *signed_in);
    }
    return signed_in->principal;
}

std::optional<CredentialCache::Entry> Accounts::signed_in_with(const std::string& hash,
                                                               AccountRows& tx) const {
    const auto credential = tx.credential_by_hash(hash);
    if (!credential || credential->revoked_at != 0) return std::nullopt;
    const auto kind = kind_from(credential->kind);
    const auto user = tx.user(credential->user_id);
    if (!kind || !user) return std::nullopt;
    auto principal = principal_of(*user, credential->tenant, *kind, credential->id, tx);
    if (!principal) return std::nullopt;
    return CredentialCache::Entry{std::move(*principal), credential->expires_at,
                                  credential->last_used_at};
}

std::optional<Principal> Accounts::principal_for_subject(const std::string& subject,
                                                         const std::string& tenant) {
    std::optional<Principal> principal;
    store_.read([&](AccountRows& tx) {
        const auto user = tx.user_by_subject(subject);
        if (!user) return;
        for (const auto& m : tx.memberships_of(user->id)) {
            if (!tenant.empty() && m.tenant != tenant) continue;
            principal = principal_of(*user, m.tenant, CredentialKind::sso, "", tx);
            if (principal) return;  // else: disabled there; another tenant may do
        }
    });
    return principal;
}

std::vector<Credential> Accounts::credentials_of(const std::string& user_id) const {
    std::vector<Credential> found;
    store_.read([&](AccountRows& tx) { found = tx.credentials_of(user_id); });
    return found;
}

bool Accounts::revoke(const Principal& owner, const std::string& credential_id) {
    bool revoked = false;
    store_.write([&](AccountRows& tx) {
        auto c = tx.credential(credential_id);
        if (!c || c->revoked_at != 0 || c->tenant != owner.tenant) return;
        if (c->user_id != owner.user_id && !owner.may(Permission::admin)) return;
        c->revoked_at = now_millis();
        tx.put_credential(*c);
        revoked = true;
    });
    return revoked;
}

}  // namespace kompo::auth
