// Executions and their event logs.
#include <string>

#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

// After the id, in the order of the parameters ?2..?10 and of the columns read back.
const std::string kExecutionFields =
    "state, idempotency_key, request, result, error, error_kind, created_at, started_at, "
    "finished_at";
const std::string kSelectExecutions = "SELECT id, " + kExecutionFields + " FROM executions ";

void bind_execution(Statement& statement, const Execution& e) {
    statement.with(e.id, state_name(e.state), null_if_empty(e.idempotency_key), e.request, e.result,
                   e.error, e.error_kind, e.created_at, e.started_at, e.finished_at);
}

Execution read_execution(const Statement& row) {
    return Execution{row.text(0),    execution_state_from(row.text(1)),
                     row.text(2),    row.text(3),
                     row.text(4),    row.text(5),
                     row.text(6),    row.integer(7),
                     row.integer(8), row.integer(9)};
}

std::optional<Execution> first_execution(Statement& query) {
    if (!query.step()) return std::nullopt;
    return read_execution(query);
}

Event read_event(const Statement& row) {
    return Event{row.text(0), row.integer(1), row.integer(2),
                 row.text(3), row.text(4),    row.text(5)};
}

}  // namespace

void SqliteTransaction::insert_execution(const Execution& execution) {
    Statement insert(db_, "INSERT INTO executions (id, " + kExecutionFields + ") VALUES (" +
                              parameters(1, 10) + ")");
    bind_execution(insert, execution);
    insert.run();
}

void SqliteTransaction::update_execution(const Execution& execution) {
    // Row-value SET keeps one column list for insert, update and select.
    Statement update(db_, "UPDATE executions SET (" + kExecutionFields + ") = (" +
                              parameters(2, 10) + ") WHERE id = ?1");
    bind_execution(update, execution);
    update.run();
    if (update.changes() == 0) throw Error::internal("store: no execution " + execution.id);
}

std::optional<Execution> SqliteTransaction::execution(const std::string& id) {
    Statement query(db_, kSelectExecutions + "WHERE id = ?1");
    return first_execution(query.with(id));
}

std::optional<Execution> SqliteTransaction::execution_by_idempotency_key(const std::string& key) {
    Statement query(db_, kSelectExecutions + "WHERE idempotency_key = ?1");
    return first_execution(query.with(key));
}

std::vector<Execution> SqliteTransaction::executions(std::size_t limit) {
    Statement query(db_, kSelectExecutions + "ORDER BY created_at DESC, rowid DESC LIMIT ?1");
    query.with(as_limit(limit));
    std::vector<Execution> found;
    while (query.step()) found.push_back(read_execution(query));
    return found;
}

std::int64_t SqliteTransaction::append_event(const std::string& execution_id, Millis at,
                                             const std::string& type, const std::string& step,
                                             const std::string& detail) {
    // Numbered in the same statement as the insert, inside the write transaction: no
    // other writer can take the same number or leave a gap.
    Statement insert(db_,
                     "INSERT INTO events (execution_id, seq, at, type, step, detail) "
                     "SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5 FROM events "
                     "WHERE execution_id = ?1 RETURNING seq");
    insert.with(execution_id, at, type, step, detail).step();
    return insert.integer(0);
}

std::vector<Event> SqliteTransaction::events(const std::string& execution_id,
                                             std::int64_t after_seq, std::size_t limit) {
    Statement query(db_,
                    "SELECT execution_id, seq, at, type, step, detail FROM events "
                    "WHERE execution_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    query.with(execution_id, after_seq, as_limit(limit));
    std::vector<Event> found;
    while (query.step()) found.push_back(read_event(query));
    return found;
}

}  // namespace kompo::store
