// Executions and their event logs.
#include <string>

#include "store/sql_fields.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectExecutions = "SELECT id, " + kExecutionFields + " FROM executions ";

void bind_execution(Statement& statement, const Execution& e) {
    statement.with(e.id, state_name(e.state), null_if_empty(e.idempotency_key), e.request, e.result,
                   e.error, e.error_kind, e.created_at, e.started_at, e.finished_at, e.tenant,
                   e.komposition_id);
}

Execution read_execution(const Statement& row) {
    return Execution{row.text(0),    execution_state_from(row.text(1)),
                     row.text(2),    row.text(3),
                     row.text(4),    row.text(5),
                     row.text(6),    row.integer(7),
                     row.integer(8), row.integer(9),
                     row.text(10),   row.text(11)};
}

std::vector<Execution> read_executions(Statement& query) {
    std::vector<Execution> found;
    while (query.step()) found.push_back(read_execution(query));
    return found;
}

// Only the filters that are set become SQL, so that the planner sees plain equalities
// and picks the (tenant, komposition_id, created_at) or (tenant, created_at) index.
// The parameters of the filters left out are bound all the same: SQLite ignores them.
std::string execution_filters(const ExecutionQuery& q) {
    std::string where = "WHERE 1 = 1";
    if (!q.tenant.empty()) where += " AND tenant = ?1";
    if (q.state) where += " AND state = ?2";
    if (!q.komposition_id.empty()) where += " AND komposition_id = ?3";
    // Spelt out rather than as a row value so that created_at alone bounds the index range.
    if (q.before_created_at != 0 || !q.before_id.empty()) {
        where += " AND created_at <= ?4 AND (created_at < ?4 OR id < ?5)";
    }
    return where;
}

std::optional<Execution> first_execution(Statement& query) {
    if (!query.step()) return std::nullopt;
    return read_execution(query);
}

const std::string kSelectEvents =
    "SELECT execution_id, seq, at, type, step, detail, id FROM events ";
const std::string kSelectTenantEvents =
    "SELECT e.execution_id, e.seq, e.at, e.type, e.step, e.detail, e.id FROM events e "
    "JOIN executions x ON x.id = e.execution_id ";

Event read_event(const Statement& row) {
    return Event{row.text(0), row.integer(1), row.integer(2), event_type_from(row.text(3)),
                 row.text(4), row.text(5),    row.integer(6)};
}

std::vector<Event> read_events(Statement& query) {
    std::vector<Event> found;
    while (query.step()) found.push_back(read_event(query));
    return found;
}

}  // namespace

void SqliteTransaction::insert_execution(const Execution& execution) {
    Statement insert(db_, "INSERT INTO executions (id, " + kExecutionFields + ") VALUES (" +
                              parameters(1, 12) + ")");
    bind_execution(insert, execution);
    insert.run();
}

void SqliteTransaction::update_execution(const Execution& execution) {
    // Row-value SET keeps one column list for insert, update and select.
    Statement update(db_, "UPDATE executions SET (" + kExecutionFields + ") = (" +
                              parameters(2, 12) + ") WHERE id = ?1");
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

std::vector<Execution> SqliteTransaction::executions(const ExecutionQuery& q) {
    Statement query(db_, kSelectExecutions + execution_filters(q) +
                             " ORDER BY created_at DESC, id DESC LIMIT ?6");
    const std::string state = q.state ? state_name(*q.state) : "";
    query.with(q.tenant, state, q.komposition_id, q.before_created_at, q.before_id,
               as_limit(q.limit));
    return read_executions(query);
}

std::vector<std::pair<ExecutionState, std::int64_t>>
SqliteTransaction::count_executions_by_state() {
    Statement query(db_, "SELECT state, COUNT(*) FROM executions GROUP BY state ORDER BY state");
    std::vector<std::pair<ExecutionState, std::int64_t>> counts;
    while (query.step()) counts.emplace_back(execution_state_from(query.text(0)), query.integer(1));
    return counts;
}

std::int64_t SqliteTransaction::append_event(const std::string& execution_id, Millis at,
                                             EventType type, const std::string& step,
                                             const std::string& detail) {
    // Numbered in the same statement as the insert, inside the write transaction: no
    // other writer can take the same number or leave a gap.
    Statement insert(db_,
                     "INSERT INTO events (execution_id, seq, at, type, step, detail) "
                     "SELECT ?1, COALESCE(MAX(seq), 0) + 1, ?2, ?3, ?4, ?5 FROM events "
                     "WHERE execution_id = ?1 RETURNING seq");
    insert.with(execution_id, at, event_type_name(type), step, detail).step();
    return insert.integer(0);
}

std::vector<Event> SqliteTransaction::events(const std::string& execution_id,
                                             std::int64_t after_seq, std::size_t limit) {
    Statement query(db_,
                    kSelectEvents + "WHERE execution_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3");
    query.with(execution_id, after_seq, as_limit(limit));
    return read_events(query);
}

std::vector<Event> SqliteTransaction::events_after(std::int64_t after_id, std::size_t limit) {
    Statement query(db_, kSelectEvents + "WHERE id > ?1 ORDER BY id LIMIT ?2");
    query.with(after_id, as_limit(limit));
    return read_events(query);
}

// The tenant's part of the feed: its executions' events, in the feed's order.
std::vector<Event> SqliteTransaction::tenant_events_after(const std::string& tenant,
                                                          std::int64_t after_id,
                                                          std::size_t limit) {
    Statement query(
        db_, kSelectTenantEvents + "WHERE e.id > ?1 AND x.tenant = ?2 ORDER BY e.id LIMIT ?3");
    query.with(after_id, tenant, as_limit(limit));
    return read_events(query);
}

std::int64_t SqliteTransaction::last_event_id() {
    Statement query(db_, "SELECT COALESCE(MAX(id), 0) FROM events");
    query.step();
    return query.integer(0);
}

std::int64_t SqliteTransaction::last_event_seq(const std::string& execution_id) {
    Statement query(db_, "SELECT COALESCE(MAX(seq), 0) FROM events WHERE execution_id = ?1");
    query.with(execution_id).step();
    return query.integer(0);
}

}  // namespace kompo::store
