// Executions and their event logs, on PostgreSQL.
#include <string>

#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectExecutions = "SELECT id, " + kExecutionFields + " FROM executions ";
const std::string kExecutionParameters = "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12";

const char* null_if_empty(const std::string& text) {
    return text.empty() ? nullptr : text.c_str();
}

Execution read_execution(const pqxx::row& row) {
    return Execution{text(row[0]),    execution_state_from(text(row[1])),
                     text(row[2]),    text(row[3]),
                     text(row[4]),    text(row[5]),
                     text(row[6]),    integer(row[7]),
                     integer(row[8]), integer(row[9]),
                     text(row[10]),   text(row[11])};
}

std::vector<Execution> read_executions(const pqxx::result& rows) {
    std::vector<Execution> found;
    for (const auto& row : rows) found.push_back(read_execution(row));
    return found;
}

std::optional<Execution> first_execution(const pqxx::result& rows) {
    if (rows.empty()) return std::nullopt;
    return read_execution(rows[0]);
}

const std::string kSelectEvents = "SELECT " + kEventFields + " FROM events ";
const std::string kSelectTenantEvents =
    "SELECT e.execution_id, e.seq, e.at, e.type, e.step, e.detail, e.id FROM events e "
    "JOIN executions x ON x.id = e.execution_id ";

std::vector<Event> read_events(const pqxx::result& rows) {
    std::vector<Event> found;
    for (const auto& row : rows) {
        found.push_back(Event{text(row[0]), integer(row[1]), integer(row[2]),
                              event_type_from(text(row[3])), text(row[4]), text(row[5]),
                              integer(row[6])});
    }
    return found;
}

// Taken by every transaction that appends an event, until it commits: event ids are
// handed out before commit, so without it a reader of the feed could pass an id whose
// transaction commits later, and never see it.
constexpr std::int64_t kEventFeedLock = 0x6b6f6d706f000002;  // "kompo" 2

}  // namespace

void PostgresTransaction::insert_execution(const Execution& e) {
    run("INSERT INTO executions (id, " + kExecutionFields + ") VALUES ($1, " +
            kExecutionParameters + ")",
        e.id, state_name(e.state), null_if_empty(e.idempotency_key), e.request, e.result, e.error,
        e.error_kind, e.created_at, e.started_at, e.finished_at, e.tenant, e.komposition_id);
}

void PostgresTransaction::update_execution(const Execution& e) {
    const auto updated = run("UPDATE executions SET (" + kExecutionFields + ") = (" +
                                 kExecutionParameters + ") WHERE id = $1",
                             e.id, state_name(e.state), null_if_empty(e.idempotency_key), e.request,
                             e.result, e.error, e.error_kind, e.created_at, e.started_at,
                             e.finished_at, e.tenant, e.komposition_id);
    if (updated.affected_rows() == 0) throw Error::internal("store: no execution " + e.id);
}

std::optional<Execution> PostgresTransaction::execution(const std::string& id) {
    return first_execution(run(kSelectExecutions + "WHERE id = $1", id));
}

std::optional<Execution> PostgresTransaction::execution_by_idempotency_key(const std::string& key) {
    return first_execution(run(kSelectExecutions + "WHERE idempotency_key = $1", key));
}

std::vector<Execution> PostgresTransaction::executions(const ExecutionQuery& q) {
    Parameters p;
    std::string where = "WHERE TRUE";
    if (!q.tenant.empty()) where += " AND tenant = " + p.add(q.tenant);
    if (q.state) where += " AND state = " + p.add(state_name(*q.state));
    if (!q.komposition_id.empty()) where += " AND komposition_id = " + p.add(q.komposition_id);
    if (q.before_created_at != 0 || !q.before_id.empty()) {
        const auto created = p.add(q.before_created_at);
        where += " AND created_at <= " + created + " AND (created_at < " + created + " OR id < " +
                 p.add(q.before_id) + ")";
    }
    const auto limit = p.add(as_limit(q.limit));
    return read_executions(
        run(kSelectExecutions + where + " ORDER BY created_at DESC, id DESC LIMIT " + limit,
            p.bound()));
}

std::vector<std::pair<ExecutionState, std::int64_t>>
PostgresTransaction::count_executions_by_state() {
    std::vector<std::pair<ExecutionState, std::int64_t>> counts;
    for (const auto& row :
         run("SELECT state, COUNT(*) FROM executions GROUP BY state ORDER BY state")) {
        counts.emplace_back(execution_state_from(text(row[0])), integer(row[1]));
    }
    return counts;
}

std::int64_t PostgresTransaction::append_event(const std::string& execution_id, Millis at,
                                               EventType type, const std::string& step,
                                               const std::string& detail) {
    // The hint to the live feeds of every replica rides on the same round trip.
    run("SELECT pg_advisory_xact_lock($1), pg_notify($2, '')", kEventFeedLock,
        channel_of(Change::events));
    // A concurrent append to the same execution that committed after this transaction's
    // snapshot makes this one fail to serialize, and it is rerun: no number twice, no gap.
    const auto inserted =
        run("INSERT INTO events (execution_id, seq, at, type, step, detail) "
            "SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM events "
            "WHERE execution_id = $1 RETURNING seq",
            execution_id, at, event_type_name(type), step, detail);
    return integer(inserted[0][0]);
}

std::vector<Event> PostgresTransaction::events(const std::string& execution_id,
                                               std::int64_t after_seq, std::size_t limit) {
    return read_events(
        run(kSelectEvents + "WHERE execution_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            execution_id, after_seq, as_limit(limit)));
}

std::vector<Event> PostgresTransaction::events_after(std::int64_t after_id, std::size_t limit) {
    return read_events(
        run(kSelectEvents + "WHERE id > $1 ORDER BY id LIMIT $2", after_id, as_limit(limit)));
}

std::vector<Event> PostgresTransaction::tenant_events_after(const std::string& tenant,
                                                            std::int64_t after_id,
                                                            std::size_t limit) {
    return read_events(
        run(kSelectTenantEvents + "WHERE e.id > $1 AND x.tenant = $2 ORDER BY e.id LIMIT $3",
            after_id, tenant, as_limit(limit)));
}

std::int64_t PostgresTransaction::last_event_id() {
    return integer(run("SELECT COALESCE(MAX(id), 0) FROM events")[0][0]);
}

std::int64_t PostgresTransaction::last_event_seq(const std::string& execution_id) {
    return integer(run("SELECT COALESCE(MAX(seq), 0) FROM events WHERE execution_id = $1",
                       execution_id)[0][0]);
}

}  // namespace kompo::store
