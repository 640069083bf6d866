// The index of cached artifacts, and remembered hashes of source files.
#include <string>

#include "store/sql_fields.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectArtifacts = "SELECT " + kArtifactFields + " FROM artifacts ";

Artifact read_artifact(const Statement& row) {
    return Artifact{row.text(0),    row.text(1),    row.integer(2),
                    row.integer(3), row.integer(4), row.integer(5)};
}

}  // namespace

std::optional<Artifact> SqliteTransaction::artifact(const std::string& key) {
    Statement query(db_, kSelectArtifacts + "WHERE key = ?1");
    if (!query.with(key).step()) return std::nullopt;
    return read_artifact(query);
}

bool SqliteTransaction::put_artifact(const Artifact& a) {
    Statement insert(db_, "INSERT INTO artifacts (" + kArtifactFields +
                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO NOTHING");
    insert.with(a.key, a.path, a.size, a.created_at, a.last_used_at, a.cost_ms).run();
    return insert.changes() == 1;
}

void SqliteTransaction::touch_artifact(const std::string& key, Millis now) {
    Statement update(db_, "UPDATE artifacts SET last_used_at = ?2 WHERE key = ?1");
    update.with(key, now).run();
}

void SqliteTransaction::delete_artifact(const std::string& key) {
    Statement remove(db_, "DELETE FROM artifacts WHERE key = ?1");
    remove.with(key).run();
}

std::int64_t SqliteTransaction::artifacts_size() {
    Statement query(db_, "SELECT COALESCE(SUM(size), 0) FROM artifacts");
    query.step();
    return query.integer(0);
}

std::vector<Artifact> SqliteTransaction::evictable_artifacts(
    const std::vector<ExecutionState>& pinning, std::size_t limit) {
    // An unfinished execution will read what its steps name: those stay.
    StateLists lists(2);
    const auto pinned = lists.add(pinning);
    Statement query(db_, kSelectArtifacts + "a WHERE NOT EXISTS (\n" +
                             "SELECT 1 FROM steps s JOIN executions e ON e.id = s.execution_id\n"
                             "WHERE s.artifact_key = a.key AND e.state IN (" +
                             pinned +
                             "))\n"
                             "ORDER BY a.last_used_at, a.key\n"
                             "LIMIT ?1");
    query.with(as_limit(limit));
    lists.bind(query);
    std::vector<Artifact> found;
    while (query.step()) found.push_back(read_artifact(query));
    return found;
}

std::optional<std::string> SqliteTransaction::source_hash(const std::string& path,
                                                          std::int64_t size,
                                                          std::int64_t mtime_ns) {
    Statement query(db_,
                    "SELECT hash FROM source_hashes WHERE path = ?1 AND size = ?2 AND "
                    "mtime_ns = ?3");
    if (!query.with(path, size, mtime_ns).step()) return std::nullopt;
    return query.text(0);
}

void SqliteTransaction::put_source_hash(const std::string& path, std::int64_t size,
                                        std::int64_t mtime_ns, const std::string& hash) {
    // One row a path: a changed file replaces what was known of its old content.
    Statement upsert(db_,
                     "INSERT INTO source_hashes (path, size, mtime_ns, hash) "
                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (path) DO UPDATE SET "
                     "size = excluded.size, mtime_ns = excluded.mtime_ns, hash = excluded.hash");
    upsert.with(path, size, mtime_ns, hash).run();
}

std::optional<std::string> SqliteTransaction::probed_media(const std::string& content_hash,
                                                           const std::string& probe) {
    Statement query(db_, "SELECT info FROM probed_media WHERE content_hash = ?1 AND probe = ?2");
    if (!query.with(content_hash, probe).step()) return std::nullopt;
    return query.text(0);
}

void SqliteTransaction::put_probed_media(const std::string& content_hash, const std::string& probe,
                                         const std::string& info) {
    Statement insert(db_,
                     "INSERT INTO probed_media (content_hash, probe, info) VALUES (?1, ?2, ?3) "
                     "ON CONFLICT (content_hash, probe) DO NOTHING");
    insert.with(content_hash, probe, info).run();
}

}  // namespace kompo::store
