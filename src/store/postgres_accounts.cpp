// Users, their memberships, credentials (hashes only) and the audit log, on PostgreSQL.
#include <string>

#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectUsers = "SELECT " + kUserFields + " FROM users ";
const std::string kSelectCredentials = "SELECT " + kCredentialFields + " FROM credentials ";
const std::string kSelectMemberships = "SELECT user_id, tenant, role FROM memberships ";

User read_user(const pqxx::row& r) {
    return User{text(r[0]),    text(r[1]),    text(r[2]),    integer(r[3]) != 0, text(r[4]),
                integer(r[5]), integer(r[6]), integer(r[7]), integer(r[8])};
}

Credential read_credential(const pqxx::row& r) {
    return Credential{text(r[0]), text(r[1]),    text(r[2]),    text(r[3]),    text(r[4]),
                      text(r[5]), integer(r[6]), integer(r[7]), integer(r[8]), integer(r[9])};
}

template <typename Row>
std::vector<Row> read_all(const pqxx::result& rows, Row (*read)(const pqxx::row&)) {
    std::vector<Row> found;
    for (const auto& row : rows) found.push_back(read(row));
    return found;
}

template <typename Row>
std::optional<Row> read_first(const pqxx::result& rows, Row (*read)(const pqxx::row&)) {
    if (rows.empty()) return std::nullopt;
    return read(rows[0]);
}

Membership read_membership(const pqxx::row& r) {
    return Membership{text(r[0]), text(r[1]), text(r[2])};
}

AuditEntry read_audit(const pqxx::row& r) {
    return AuditEntry{integer(r[0]), integer(r[1]), text(r[2]), text(r[3]), text(r[4]),
                      text(r[5]),    text(r[6]),    text(r[7]), text(r[8])};
}

}  // namespace

std::optional<User> PostgresTransaction::user(const std::string& id) {
    return read_first(run(kSelectUsers + "WHERE id = $1", id), read_user);
}

std::optional<User> PostgresTransaction::user_by_name(const std::string& name) {
    return read_first(run(kSelectUsers + "WHERE name = $1", name), read_user);
}

std::optional<User> PostgresTransaction::user_by_subject(const std::string& external_subject) {
    if (external_subject.empty()) return std::nullopt;
    return read_first(run(kSelectUsers + "WHERE external_subject = $1", external_subject),
                      read_user);
}

std::vector<User> PostgresTransaction::users() {
    return read_all(run(kSelectUsers + "ORDER BY name"), read_user);
}

void PostgresTransaction::put_user(const User& u) {
    run("INSERT INTO users (" + kUserFields + R"sql() VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
        ON CONFLICT (id) DO UPDATE SET
        (name, password_hash, disabled, external_subject, failed_logins, locked_until,
         created_at, updated_at) =
        (excluded.name, excluded.password_hash, excluded.disabled, excluded.external_subject,
         excluded.failed_logins, excluded.locked_until, excluded.created_at,
         excluded.updated_at))sql",
        u.id, u.name, u.password_hash, u.disabled ? 1 : 0, u.external_subject, u.failed_logins,
        u.locked_until, u.created_at, u.updated_at);
}

std::vector<Membership> PostgresTransaction::memberships_of(const std::string& user_id) {
    return read_all(run(kSelectMemberships + "WHERE user_id = $1 ORDER BY tenant", user_id),
                    read_membership);
}

std::vector<Membership> PostgresTransaction::members_of(const std::string& tenant) {
    return read_all(run(kSelectMemberships + "WHERE tenant = $1 ORDER BY user_id", tenant),
                    read_membership);
}

void PostgresTransaction::put_membership(const Membership& m) {
    run("INSERT INTO memberships (user_id, tenant, role) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, tenant) DO UPDATE SET role = excluded.role",
        m.user_id, m.tenant, m.role);
}

std::optional<Credential> PostgresTransaction::credential(const std::string& id) {
    return read_first(run(kSelectCredentials + "WHERE id = $1", id), read_credential);
}

std::optional<Credential> PostgresTransaction::credential_by_hash(const std::string& secret_hash) {
    return read_first(run(kSelectCredentials + "WHERE secret_hash = $1", secret_hash),
                      read_credential);
}

std::vector<Credential> PostgresTransaction::credentials_of(const std::string& user_id) {
    return read_all(run(kSelectCredentials + "WHERE user_id = $1 ORDER BY created_at, id", user_id),
                    read_credential);
}

void PostgresTransaction::put_credential(const Credential& c) {
    run("INSERT INTO credentials (" + kCredentialFields +
            R"sql() VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (id) DO UPDATE SET (label, expires_at, revoked_at, last_used_at) =
        (excluded.label, excluded.expires_at, excluded.revoked_at, excluded.last_used_at))sql",
        c.id, c.secret_hash, c.kind, c.user_id, c.tenant, c.label, c.created_at, c.expires_at,
        c.revoked_at, c.last_used_at);
}

std::int64_t PostgresTransaction::accounts_revision() {
    const auto rows = run("SELECT value FROM accounts_revision WHERE id = 1");
    return rows.empty() ? 0 : integer(rows[0][0]);
}

std::int64_t PostgresTransaction::append_audit(const AuditEntry& e) {
    const auto inserted =
        run(R"sql(INSERT INTO audit
        (at, actor, tenant, action, target, outcome, remote, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)sql",
            e.at, e.actor, e.tenant, e.action, e.target, e.outcome, e.remote, e.detail);
    return integer(inserted[0][0]);
}

std::vector<AuditEntry> PostgresTransaction::audit(const AuditQuery& q) {
    Parameters p;
    std::string where = "WHERE id > " + p.add(q.after_id) + " AND at >= " + p.add(q.since);
    if (!q.tenant.empty()) where += " AND tenant = " + p.add(q.tenant);
    if (!q.actor.empty()) where += " AND actor = " + p.add(q.actor);
    const auto limit = p.add(as_limit(q.limit));
    return read_all(
        run("SELECT " + kAuditFields + " FROM audit " + where + " ORDER BY id LIMIT " + limit,
            p.bound()),
        read_audit);
}

}  // namespace kompo::store
