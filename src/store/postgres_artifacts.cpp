// The index of cached artifacts, remembered hashes of source files, and the workers, on
// PostgreSQL.
#include <string>

#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectArtifacts = "SELECT " + kArtifactFields + " FROM artifacts ";

Artifact read_artifact(const pqxx::row& r) {
    return Artifact{text(r[0]),    text(r[1]),    integer(r[2]),
                    integer(r[3]), integer(r[4]), integer(r[5])};
}

}  // namespace

std::optional<Artifact> PostgresTransaction::artifact(const std::string& key) {
    const auto rows = run(kSelectArtifacts + "WHERE key = $1", key);
    if (rows.empty()) return std::nullopt;
    return read_artifact(rows[0]);
}

bool PostgresTransaction::put_artifact(const Artifact& a) {
    const auto inserted = run("INSERT INTO artifacts (" + kArtifactFields +
                                  ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (key) DO NOTHING",
                              a.key, a.path, a.size, a.created_at, a.last_used_at, a.cost_ms);
    return inserted.affected_rows() == 1;
}

void PostgresTransaction::touch_artifact(const std::string& key, Millis now) {
    run("UPDATE artifacts SET last_used_at = $2 WHERE key = $1", key, now);
}

void PostgresTransaction::delete_artifact(const std::string& key) {
    run("DELETE FROM artifacts WHERE key = $1", key);
}

std::int64_t PostgresTransaction::artifacts_size() {
    return integer(run("SELECT COALESCE(SUM(size), 0)::bigint FROM artifacts")[0][0]);
}

std::vector<Artifact> PostgresTransaction::evictable_artifacts(
    const std::vector<ExecutionState>& pinning, std::size_t limit) {
    // An unfinished execution will read what its steps name: those stay.
    std::vector<Artifact> found;
    for (const auto& row :
         run("SELECT a.key, a.path, a.size, a.created_at, a.last_used_at, a.cost_ms\n"
             "FROM artifacts a\n"
             "WHERE NOT EXISTS (\n"
             "SELECT 1 FROM steps s JOIN executions e ON e.id = s.execution_id\n"
             "WHERE s.artifact_key = a.key AND e.state = ANY($2::text[]))\n"
             "ORDER BY a.last_used_at, a.key LIMIT $1",
             as_limit(limit), state_array(pinning))) {
        found.push_back(read_artifact(row));
    }
    return found;
}

std::optional<std::string> PostgresTransaction::source_hash(const std::string& path,
                                                            std::int64_t size,
                                                            std::int64_t mtime_ns) {
    const auto rows =
        run("SELECT hash FROM source_hashes WHERE path = $1 AND size = $2 AND mtime_ns = $3", path,
            size, mtime_ns);
    if (rows.empty()) return std::nullopt;
    return text(rows[0][0]);
}

void PostgresTransaction::put_source_hash(const std::string& path, std::int64_t size,
                                          std::int64_t mtime_ns, const std::string& hash) {
    // One row a path: a changed file replaces what was known of its old content.
    run("INSERT INTO source_hashes (path, size, mtime_ns, hash) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (path) DO UPDATE SET "
        "size = excluded.size, mtime_ns = excluded.mtime_ns, hash = excluded.hash",
        path, size, mtime_ns, hash);
}

std::optional<std::string> PostgresTransaction::probed_media(const std::string& content_hash,
                                                             const std::string& probe) {
    const auto rows = run("SELECT info FROM probed_media WHERE content_hash = $1 AND probe = $2",
                          content_hash, probe);
    if (rows.empty()) return std::nullopt;
    return text(rows[0][0]);
}

void PostgresTransaction::put_probed_media(const std::string& content_hash,
                                           const std::string& probe, const std::string& info) {
    run("INSERT INTO probed_media (content_hash, probe, info) VALUES ($1, $2, $3) "
        "ON CONFLICT (content_hash, probe) DO NOTHING",
        content_hash, probe, info);
}

void PostgresTransaction::upsert_worker(const WorkerRecord& w) {
    run("INSERT INTO workers (" + kWorkerFields + R"sql() VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO UPDATE SET worker_class = excluded.worker_class,
            host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
            seen_at = excluded.seen_at, state = excluded.state)sql",
        w.id, w.worker_class, w.host, w.pid, w.started_at, w.seen_at, w.state);
}

std::optional<WorkerRecord> PostgresTransaction::worker(const std::string& id) {
    const auto rows = run("SELECT " + kWorkerFields + " FROM workers WHERE id = $1", id);
    if (rows.empty()) return std::nullopt;
    const auto& r = rows[0];
    return WorkerRecord{text(r[0]),    text(r[1]),    text(r[2]), integer(r[3]),
                        integer(r[4]), integer(r[5]), text(r[6])};
}

std::vector<WorkerRecord> PostgresTransaction::workers() {
    std::vector<WorkerRecord> found;
    for (const auto& r : run("SELECT " + kWorkerFields + " FROM workers ORDER BY id")) {
        found.push_back(WorkerRecord{text(r[0]), text(r[1]), text(r[2]), integer(r[3]),
                                     integer(r[4]), integer(r[5]), text(r[6])});
    }
    return found;
}

}  // namespace kompo::store
