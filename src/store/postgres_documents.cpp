// The documents of each tenant, and the quotas with the usage they are held to, on
// PostgreSQL.
#include <string>

#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectDocuments = "SELECT " + kDocumentFields + " FROM documents ";

Document read_document(const pqxx::row& r) {
    return Document{text(r[0]),    text(r[1]), text(r[2]),         text(r[3]),    text(r[4]),
                    integer(r[5]), text(r[6]), integer(r[7]) != 0, integer(r[8]), integer(r[9])};
}

}  // namespace

std::vector<Document> PostgresTransaction::documents(const DocumentQuery& q) {
    Parameters p;
    std::string where = "WHERE tenant = " + p.add(q.tenant) + " AND id > " + p.add(q.after_id);
    if (!q.type.empty()) where += " AND type = " + p.add(q.type);
    // strpos, not LIKE: a % or _ the user typed is meant literally.
    if (!q.name_contains.empty()) {
        const auto part = p.add(q.name_contains);
        where += " AND (strpos(lower(name), lower(" + part + ")) > 0 OR strpos(lower(id), lower(" +
                 part + ")) > 0)";
    }
    if (!q.include_deleted) where += " AND deleted = 0";
    const auto limit = p.add(as_limit(q.limit));
    std::vector<Document> found;
    for (const auto& row :
         run(kSelectDocuments + where + " ORDER BY id LIMIT " + limit, p.bound())) {
        found.push_back(read_document(row));
    }
    return found;
}

std::optional<Document> PostgresTransaction::document(const std::string& tenant,
                                                      const std::string& id) {
    const auto rows = run(kSelectDocuments + "WHERE tenant = $1 AND id = $2", tenant, id);
    if (rows.empty()) return std::nullopt;
    return read_document(rows[0]);
}

void PostgresTransaction::put_document(const Document& d) {
    run("INSERT INTO documents (" + kDocumentFields +
            R"sql() VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
        ON CONFLICT (tenant, id) DO UPDATE SET
        (type, name, rev, revision, body, deleted, created_at, updated_at) =
        (excluded.type, excluded.name, excluded.rev, excluded.revision, excluded.body,
         excluded.deleted, excluded.created_at, excluded.updated_at))sql",
        d.tenant, d.id, d.type, d.name, d.rev, d.revision, d.body, d.deleted ? 1 : 0, d.created_at,
        d.updated_at);
}

std::optional<Quota> PostgresTransaction::quota(const std::string& tenant) {
    const auto rows = run("SELECT " + kQuotaFields + " FROM quotas WHERE tenant = $1", tenant);
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return Quota{text(r[0]), integer(r[1]), integer(r[2]), integer(r[3]), integer(r[4])};
}

void PostgresTransaction::put_quota(const Quota& q) {
    run("INSERT INTO quotas (" + kQuotaFields + R"sql() VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (tenant) DO UPDATE SET
        (storage_bytes, concurrent_renders, renders_per_day, upload_bytes) =
        (excluded.storage_bytes, excluded.concurrent_renders, excluded.renders_per_day,
         excluded.upload_bytes))sql",
        q.tenant, q.storage_bytes, q.concurrent_renders, q.renders_per_day, q.upload_bytes);
}

// Media documents record their file's size; tombstones no longer hold a file.
std::int64_t PostgresTransaction::media_bytes(const std::string& tenant) {
    return integer(run(R"sql(SELECT COALESCE(SUM((body::json->>'size')::numeric), 0)::bigint
        FROM documents WHERE tenant = $1 AND deleted = 0
        AND type IN ('Video', 'Audio', 'Image'))sql",
                       tenant)[0][0]);
}

std::int64_t PostgresTransaction::count_executions_in(const std::string& tenant,
                                                      const std::vector<ExecutionState>& states) {
    return integer(
        run("SELECT COUNT(*) FROM executions WHERE tenant = $1 AND state = ANY($2::text[])", tenant,
            state_array(states))[0][0]);
}

std::int64_t PostgresTransaction::count_executions_since(const std::string& tenant, Millis since) {
    return integer(run("SELECT COUNT(*) FROM executions WHERE tenant = $1 AND created_at >= $2",
                       tenant, since)[0][0]);
}

}  // namespace kompo::store
