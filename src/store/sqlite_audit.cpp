// The append-only audit log, and the tenants' quotas with the usage they are held to.
#include <string>

#include "store/sqlite_store.hpp"

namespace kompo::store {

std::int64_t SqliteTransaction::append_audit(const AuditEntry& e) {
    Statement insert(db_, R"sql(INSERT INTO audit
        (at, actor, tenant, action, target, outcome, remote, detail)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id)sql");
    insert.with(e.at, e.actor, e.tenant, e.action, e.target, e.outcome, e.remote, e.detail).step();
    return insert.integer(0);
}

std::vector<AuditEntry> SqliteTransaction::audit(const AuditQuery& q) {
    std::string sql =
        "SELECT id, at, actor, tenant, action, target, outcome, remote, detail FROM audit "
        "WHERE id > ?1 AND at >= ?2";
    if (!q.tenant.empty()) sql += " AND tenant = ?3";
    if (!q.actor.empty()) sql += " AND actor = ?4";
    Statement query(db_, sql + " ORDER BY id LIMIT ?5");
    query.with(q.after_id, q.since, q.tenant, q.actor, as_limit(q.limit));
    std::vector<AuditEntry> found;
    while (query.step()) {
        found.push_back(AuditEntry{query.integer(0), query.integer(1), query.text(2), query.text(3),
                                   query.text(4), query.text(5), query.text(6), query.text(7),
                                   query.text(8)});
    }
    return found;
}

std::optional<Quota> SqliteTransaction::quota(const std::string& tenant) {
    Statement query(db_,
                    "SELECT tenant, storage_bytes, concurrent_renders, renders_per_day, "
                    "upload_bytes FROM quotas WHERE tenant = ?1");
    if (!query.with(tenant).step()) return std::nullopt;
    return Quota{query.text(0), query.integer(1), query.integer(2), query.integer(3),
                 query.integer(4)};
}

void SqliteTransaction::put_quota(const Quota& q) {
    Statement upsert(db_, R"sql(INSERT INTO quotas
        (tenant, storage_bytes, concurrent_renders, renders_per_day, upload_bytes)
        VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (tenant) DO UPDATE SET
        (storage_bytes, concurrent_renders, renders_per_day, upload_bytes) =
        (excluded.storage_bytes, excluded.concurrent_renders, excluded.renders_per_day,
         excluded.upload_bytes))sql");
    upsert.with(q.tenant, q.storage_bytes, q.concurrent_renders, q.renders_per_day, q.upload_bytes)
        .run();
}

// Media documents record their file's size; tombstones no longer hold a file.
std::int64_t SqliteTransaction::media_bytes(const std::string& tenant) {
    Statement query(db_, R"sql(SELECT COALESCE(SUM(json_extract(body, '$.size')), 0)
        FROM documents WHERE tenant = ?1 AND deleted = 0
        AND type IN ('Video', 'Audio', 'Image'))sql");
    query.with(tenant).step();
    return query.integer(0);
}

std::int64_t SqliteTransaction::count_executions_in(const std::string& tenant,
                                                    const std::vector<ExecutionState>& states) {
    StateLists lists(2);
    const auto wanted = lists.add(states);
    Statement query(
        db_, "SELECT COUNT(*) FROM executions WHERE tenant = ?1 AND state IN (" + wanted + ")");
    query.with(tenant);
    lists.bind(query);
    query.step();
    return query.integer(0);
}

std::int64_t SqliteTransaction::count_executions_since(const std::string& tenant, Millis since) {
    Statement query(db_, "SELECT COUNT(*) FROM executions WHERE tenant = ?1 AND created_at >= ?2");
    query.with(tenant, since).step();
    return query.integer(0);
}

}  // namespace kompo::store
