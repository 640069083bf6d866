// Version 1: executions and their steps and events, the artifact cache index, source
// hashes and workers. Empty text is stored as '' (NOT NULL), except the idempotency key,
// where NULL means "none" and keeps the UNIQUE constraint for real keys only.
// Version 2: the platform server's tenants: their documents, executions by tenant and
// komposition, and a global event id for one live feed of all executions.
// Version 3: accounts: users, their tenants and roles, hashed credentials, the
// append-only audit log and per-tenant quotas.
// Version 4: what probing a source found, by its content hash, so that an unchanged
// source is not opened again.
// Version 5: cost accounting: each step's worker time by class, the part of it lost, and
// what the cache saved; each artifact's cost to make.
// Version 6: the accounts revision, a number the database itself (triggers) raises with
// every change to who a credential signs in as, whichever process makes it: what lets a
// server keep authenticated credentials in memory and still refuse a revoked one at once.
// One schema for both backends: each version is written once in SQLite's words, which
// PostgreSQL's spelling is made from (64-bit INTEGER is BIGINT, an AUTOINCREMENT key an
// identity column), plus what each backend says its own way (the audit log's triggers).
#include "store/migrations.hpp"

#include <array>

#include "store/sqlite_handles.hpp"
#include "store/store.hpp"

namespace kompo::store {

namespace {

constexpr const char* kVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    applied_at INTEGER NOT NULL
);
)sql";

constexpr const char* kVersion1 = R"sql(
CREATE TABLE executions (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    request TEXT NOT NULL,
    result TEXT NOT NULL,
    error TEXT NOT NULL,
    error_kind TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL
);
CREATE INDEX executions_by_creation ON executions (created_at);

CREATE TABLE steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id TEXT NOT NULL REFERENCES executions (id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    needs TEXT NOT NULL,
    params TEXT NOT NULL,
    artifact_key TEXT NOT NULL,
    result TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    worker_id TEXT NOT NULL,
    lease_token INTEGER NOT NULL,
    lease_expires_at INTEGER NOT NULL,
    not_before INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    frames_done INTEGER NOT NULL,
    frames_total INTEGER NOT NULL,
    checkpoint TEXT NOT NULL,
    checkpoint_at INTEGER NOT NULL,
    error TEXT NOT NULL,
    UNIQUE (execution_id, name)
);
-- Claiming looks up due retries and expired leases by range, one index each.
CREATE INDEX steps_due_for_retry ON steps (state, not_before);
CREATE INDEX steps_due_for_lease_expiry ON steps (state, lease_expires_at);
CREATE INDEX steps_by_artifact ON steps (artifact_key);

CREATE TABLE events (
    execution_id TEXT NOT NULL REFERENCES executions (id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    step TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (execution_id, seq)
) WITHOUT ROWID;

CREATE TABLE artifacts (
    key TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX artifacts_by_last_use ON artifacts (last_used_at);

CREATE TABLE source_hashes (
    path TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    hash TEXT NOT NULL
);

CREATE TABLE workers (
    id TEXT PRIMARY KEY,
    worker_class TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    state TEXT NOT NULL
);
)sql";

// SQLite cannot add a column to a key, so events is rebuilt (the new table, a copy, a
// rename, as SQLite's ALTER TABLE page prescribes; PostgreSQL does the same). Old events get ids in
// time order, so that a feed replayed from 0 reads them as they happened.
constexpr const char* kVersion2 = R"sql(
CREATE TABLE documents (
    tenant TEXT NOT NULL,
    id TEXT NOT NULL,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    rev TEXT NOT NULL,
    revision INTEGER NOT NULL,
    body TEXT NOT NULL,
    deleted INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, id)
);
CREATE INDEX documents_by_type ON documents (tenant, type, id);

ALTER TABLE executions ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
ALTER TABLE executions ADD COLUMN komposition_id TEXT NOT NULL DEFAULT '';
CREATE INDEX executions_by_tenant ON executions (tenant, created_at);
CREATE INDEX executions_by_komposition ON executions (tenant, komposition_id, created_at);

-- AUTOINCREMENT: an id is never reused, even after the newest rows are deleted, so a
-- feed cursor never skips a later event.
CREATE TABLE events_v2 (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    execution_id TEXT NOT NULL REFERENCES executions (id),
    seq INTEGER NOT NULL,
    at INTEGER NOT NULL,
    type TEXT NOT NULL,
    step TEXT NOT NULL,
    detail TEXT NOT NULL,
    UNIQUE (execution_id, seq)
);
INSERT INTO events_v2 (id, execution_id, seq, at, type, step, detail)
    SELECT ROW_NUMBER() OVER (ORDER BY at, execution_id, seq),
           execution_id, seq, at, type, step, detail
    FROM events;
DROP TABLE events;
ALTER TABLE events_v2 RENAME TO events;
)sql";

constexpr const char* kVersion3 = R"sql(
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    external_subject TEXT NOT NULL,
    failed_logins INTEGER NOT NULL,
    locked_until INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX users_by_subject ON users (external_subject);

CREATE TABLE memberships (
    user_id TEXT NOT NULL REFERENCES users (id),
    tenant TEXT NOT NULL,
    role TEXT NOT NULL,
    PRIMARY KEY (user_id, tenant)
);
CREATE INDEX memberships_by_tenant ON memberships (tenant);

CREATE TABLE credentials (
    id TEXT PRIMARY KEY,
    secret_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id),
    tenant TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL
);
CREATE INDEX credentials_by_user ON credentials (user_id, created_at);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    tenant TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    outcome TEXT NOT NULL,
    remote TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX audit_by_tenant ON audit (tenant, id);
CREATE TABLE quotas (
    tenant TEXT PRIMARY KEY,
    storage_bytes INTEGER NOT NULL,
    concurrent_renders INTEGER NOT NULL,
    renders_per_day INTEGER NOT NULL,
    upload_bytes INTEGER NOT NULL
);
)sql";

constexpr const char* kVersion5 = R"sql(
ALTER TABLE steps ADD COLUMN worker_class TEXT NOT NULL DEFAULT '';
ALTER TABLE steps ADD COLUMN regular_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE steps ADD COLUMN preemptible_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE steps ADD COLUMN lost_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE steps ADD COLUMN saved_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE artifacts ADD COLUMN cost_ms INTEGER NOT NULL DEFAULT 0;
)sql";

// The audit log refuses UPDATE and DELETE in the database itself, so no code path (nor a
// careless script through the same store) can rewrite history.
constexpr const char* kVersion3Sqlite = R"sql(
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";
constexpr const char* kVersion3Postgres = R"sql(
CREATE FUNCTION audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_is_append_only();
)sql";

constexpr const char* kVersion4 = R"sql(
CREATE TABLE probed_media (
    content_hash TEXT NOT NULL,
    probe TEXT NOT NULL,
    info TEXT NOT NULL,
    PRIMARY KEY (content_hash, probe)
);
)sql";

// The copied events kept their ids: the identity continues after the last.
constexpr const char* kVersion2Postgres = R"sql(
SELECT setval(pg_get_serial_sequence('events', 'id'), COALESCE(MAX(id), 0) + 1, false)
    FROM events;
)sql";

constexpr const char* kVersion6 = R"sql(
CREATE TABLE accounts_revision (
    id INTEGER PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO accounts_revision (id, value) VALUES (1, 0);
)sql";

// What a credential signs in as is its row (not its last use), its user's name and
// disabled flag, and the membership of its tenant; inserts change no credential already
// signed in with. Deletes count too (no code deletes these rows; a script might).
constexpr const char* kVersion6Sqlite = R"sql(
CREATE TRIGGER credentials_revision AFTER UPDATE ON credentials
    WHEN OLD.revoked_at <> NEW.revoked_at OR OLD.expires_at <> NEW.expires_at
      OR OLD.kind <> NEW.kind OR OLD.user_id <> NEW.user_id OR OLD.tenant <> NEW.tenant
      OR OLD.secret_hash <> NEW.secret_hash
    BEGIN UPDATE accounts_revision SET value = value + 1; END;
CREATE TRIGGER credentials_revision_delete AFTER DELETE ON credentials
    BEGIN UPDATE accounts_revision SET value = value + 1; END;
CREATE TRIGGER users_revision AFTER UPDATE ON users
    WHEN OLD.disabled <> NEW.disabled OR OLD.name <> NEW.name OR OLD.id <> NEW.id
    BEGIN UPDATE accounts_revision SET value = value + 1; END;
CREATE TRIGGER users_revision_delete AFTER DELETE ON users
    BEGIN UPDATE accounts_revision SET value = value + 1; END;
CREATE TRIGGER memberships_revision AFTER UPDATE ON memberships
    BEGIN UPDATE accounts_revision SET value = value + 1; END;
CREATE TRIGGER memberships_revision_delete AFTER DELETE ON memberships
    BEGIN UPDATE accounts_revision SET value = value + 1; END;
)sql";
constexpr const char* kVersion6Postgres = R"sql(
CREATE FUNCTION raise_accounts_revision() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN UPDATE accounts_revision SET value = value + 1; RETURN NULL; END $$;
CREATE TRIGGER credentials_revision AFTER UPDATE ON credentials FOR EACH ROW
    WHEN (OLD.revoked_at <> NEW.revoked_at OR OLD.expires_at <> NEW.expires_at
      OR OLD.kind <> NEW.kind OR OLD.user_id <> NEW.user_id OR OLD.tenant <> NEW.tenant
      OR OLD.secret_hash <> NEW.secret_hash)
    EXECUTE FUNCTION raise_accounts_revision();
CREATE TRIGGER credentials_revision_delete AFTER DELETE ON credentials FOR EACH ROW
    EXECUTE FUNCTION raise_accounts_revision();
CREATE TRIGGER users_revision AFTER UPDATE ON users FOR EACH ROW
    WHEN (OLD.disabled <> NEW.disabled OR OLD.name <> NEW.name OR OLD.id <> NEW.id)
    EXECUTE FUNCTION raise_accounts_revision();
CREATE TRIGGER users_revision_delete AFTER DELETE ON users FOR EACH ROW
    EXECUTE FUNCTION raise_accounts_revision();
CREATE TRIGGER memberships_revision AFTER UPDATE ON memberships FOR EACH ROW
    EXECUTE FUNCTION raise_accounts_revision();
CREATE TRIGGER memberships_revision_delete AFTER DELETE ON memberships FOR EACH ROW
    EXECUTE FUNCTION raise_accounts_revision();
)sql";

struct Migration {
    const char* both;           // in SQLite's words
    const char* sqlite = "";    // then, on SQLite only
    const char* postgres = "";  // then, on PostgreSQL only
};

constexpr std::array<Migration, 6> kMigrations{{{kVersion1},
                                                {kVersion2, "", kVersion2Postgres},
                                                {kVersion3, kVersion3Sqlite, kVersion3Postgres},
                                                {kVersion4},
                                                {kVersion5},
                                                {kVersion6, kVersion6Sqlite, kVersion6Postgres}}};

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

std::string in_postgres_words(std::string script) {
    replace_all(script, "INTEGER PRIMARY KEY AUTOINCREMENT",
                "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
    replace_all(script, "INTEGER", "BIGINT");
    replace_all(script, ") WITHOUT ROWID;", ");");
    return script;
}

std::int64_t recorded_version(sqlite3* db) {
    Statement query(db, "SELECT COALESCE(MAX(version), 0) FROM schema_version");
    query.step();
    return query.integer(0);
}

}  // namespace

std::vector<std::string> sqlite_migrations() {
    std::vector<std::string> scripts;
    for (const auto& m : kMigrations) scripts.push_back(std::string(m.both) + m.sqlite);
    return scripts;
}

std::vector<std::string> postgres_migrations() {
    std::vector<std::string> scripts;
    for (const auto& m : kMigrations) scripts.push_back(in_postgres_words(m.both) + m.postgres);
    return scripts;
}

void apply_migration(sqlite3* db, int version, const std::string& script) {
    execute(db, kVersionTable);
    if (recorded_version(db) >= version) return;
    execute(db, script);
    Statement record(db, "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)");
    record.with(version, now_millis()).run();
}

}  // namespace kompo::store
