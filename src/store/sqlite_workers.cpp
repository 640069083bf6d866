// The workers that have announced themselves, and when each was last seen.
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

std::vector<WorkerRecord> SqliteTransaction::workers() {
    Statement query(db_,
                    "SELECT id, worker_class, host, pid, started_at, seen_at, state FROM workers "
                    "ORDER BY id");
    std::vector<WorkerRecord> found;
    while (query.step()) {
        found.push_back(WorkerRecord{query.text(0), query.text(1), query.text(2), query.integer(3),
                                     query.integer(4), query.integer(5), query.text(6)});
    }
    return found;
}

}  // namespace kompo::store
