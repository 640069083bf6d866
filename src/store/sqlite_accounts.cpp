// Users, their memberships in tenants, and their credentials (hashes only).
#include <string>

#include "store/sql_fields.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectUsers = "SELECT " + kUserFields + " FROM users ";

User read_user(const Statement& row) {
    return User{row.text(0),    row.text(1),    row.text(2),    row.integer(3) != 0, row.text(4),
                row.integer(5), row.integer(6), row.integer(7), row.integer(8)};
}

const std::string kSelectCredentials = "SELECT " + kCredentialFields + " FROM credentials ";

Credential read_credential(const Statement& row) {
    return Credential{row.text(0), row.text(1),    row.text(2),    row.text(3),    row.text(4),
                      row.text(5), row.integer(6), row.integer(7), row.integer(8), row.integer(9)};
}

std::optional<User> one_user(Statement& query) {
    if (!query.step()) return std::nullopt;
    return read_user(query);
}

std::vector<Membership> read_memberships(Statement& query) {
    std::vector<Membership> found;
    while (query.step()) found.push_back({query.text(0), query.text(1), query.text(2)});
    return found;
}

}  // namespace

std::optional<User> SqliteTransaction::user(const std::string& id) {
    Statement query(db_, kSelectUsers + "WHERE id = ?1");
    query.with(id);
    return one_user(query);
}

std::optional<User> SqliteTransaction::user_by_name(const std::string& name) {
    Statement query(db_, kSelectUsers + "WHERE name = ?1");
    query.with(name);
    return one_user(query);
}

std::optional<User> SqliteTransaction::user_by_subject(const std::string& external_subject) {
    if (external_subject.empty()) return std::nullopt;
    Statement query(db_, kSelectUsers + "WHERE external_subject = ?1");
    query.with(external_subject);
    return one_user(query);
}

std::vector<User> SqliteTransaction::users() {
    Statement query(db_, kSelectUsers + "ORDER BY name");
    std::vector<User> found;
    while (query.step()) found.push_back(read_user(query));
    return found;
}

void SqliteTransaction::put_user(const User& u) {
    Statement upsert(db_, "INSERT INTO users (" + kUserFields + ") VALUES (" + parameters(1, 9) +
                              R"sql() ON CONFLICT (id) DO UPDATE SET
        (name, password_hash, disabled, external_subject, failed_logins, locked_until,
         created_at, updated_at) =
        (excluded.name, excluded.password_hash, excluded.disabled, excluded.external_subject,
         excluded.failed_logins, excluded.locked_until, excluded.created_at,
         excluded.updated_at))sql");
    upsert
        .with(u.id, u.name, u.password_hash, u.disabled ? 1 : 0, u.external_subject,
              u.failed_logins, u.locked_until, u.created_at, u.updated_at)
        .run();
}

std::vector<Membership> SqliteTransaction::memberships_of(const std::string& user_id) {
    Statement query(db_,
                    "SELECT user_id, tenant, role FROM memberships WHERE user_id = ?1 "
                    "ORDER BY tenant");
    query.with(user_id);
    return read_memberships(query);
}

std::vector<Membership> SqliteTransaction::members_of(const std::string& tenant) {
    Statement query(db_,
                    "SELECT user_id, tenant, role FROM memberships WHERE tenant = ?1 "
                    "ORDER BY user_id");
    query.with(tenant);
    return read_memberships(query);
}

void SqliteTransaction::put_membership(const Membership& m) {
    Statement upsert(db_, R"sql(INSERT INTO memberships (user_id, tenant, role) VALUES (?1, ?2, ?3)
        ON CONFLICT (user_id, tenant) DO UPDATE SET role = excluded.role)sql");
    upsert.with(m.user_id, m.tenant, m.role).run();
}

std::optional<Credential> SqliteTransaction::credential(const std::string& id) {
    Statement query(db_, kSelectCredentials + "WHERE id = ?1");
    if (!query.with(id).step()) return std::nullopt;
    return read_credential(query);
}

std::optional<Credential> SqliteTransaction::credential_by_hash(const std::string& secret_hash) {
    Statement query(db_, kSelectCredentials + "WHERE secret_hash = ?1");
    if (!query.with(secret_hash).step()) return std::nullopt;
    return read_credential(query);
}

std::vector<Credential> SqliteTransaction::credentials_of(const std::string& user_id) {
    Statement query(db_, kSelectCredentials + "WHERE user_id = ?1 ORDER BY created_at, id");
    query.with(user_id);
    std::vector<Credential> found;
    while (query.step()) found.push_back(read_credential(query));
    return found;
}

void SqliteTransaction::put_credential(const Credential& c) {
    Statement upsert(db_, "INSERT INTO credentials (" + kCredentialFields + ") VALUES (" +
                              parameters(1, 10) + R"sql() ON CONFLICT (id) DO UPDATE SET
        (label, expires_at, revoked_at, last_used_at) =
        (excluded.label, excluded.expires_at, excluded.revoked_at, excluded.last_used_at))sql");
    upsert
        .with(c.id, c.secret_hash, c.kind, c.user_id, c.tenant, c.label, c.created_at, c.expires_at,
              c.revoked_at, c.last_used_at)
        .run();
}

std::int64_t SqliteTransaction::accounts_revision() {
    Statement query(db_, "SELECT value FROM accounts_revision WHERE id = 1");
    return query.step() ? query.integer(0) : 0;
}

}  // namespace kompo::store
