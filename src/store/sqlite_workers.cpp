// The workers that have announced themselves, and when each was last seen.
#include "store/sql_fields.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

void SqliteTransaction::upsert_worker(const WorkerRecord& w) {
    Statement upsert(db_, R"sql(
        INSERT INTO workers (id, worker_class, host, pid, started_at, seen_at, state)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT (id) DO UPDATE SET worker_class = excluded.worker_class,
            host = excluded.host, pid = excluded.pid, started_at = excluded.started_at,
            seen_at = excluded.seen_at, state = excluded.state)sql");
    upsert.with(w.id, w.worker_class, w.host, w.pid, w.started_at, w.seen_at, w.state).run();
}

namespace {

WorkerRecord read_worker(const Statement& row) {
    return WorkerRecord{row.text(0),    row.text(1),    row.text(2), row.integer(3),
                        row.integer(4), row.integer(5), row.text(6)};
}

}  // namespace

std::optional<WorkerRecord> SqliteTransaction::worker(const std::string& id) {
    Statement query(db_, "SELECT " + kWorkerFields + " FROM workers WHERE id = ?1");
    if (!query.with(id).step()) return std::nullopt;
    return read_worker(query);
}

std::vector<WorkerRecord> SqliteTransaction::workers() {
    Statement query(db_, "SELECT " + kWorkerFields + " FROM workers ORDER BY id");
    std::vector<WorkerRecord> found;
    while (query.step()) found.push_back(read_worker(query));
    return found;
}

}  // namespace kompo::store
