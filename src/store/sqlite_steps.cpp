// Steps: the rows workers claim. `needs` is stored as a JSON array of names.
#include <string>

#include "store/sql_fields.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectSteps = "SELECT id, " + kStepFields + " FROM steps ";
constexpr int kStepFieldCount = 26;

// SQLite's own JSON reader undoes whatever escaping the writer did.
std::vector<std::string> needs_from_json(Db db, const std::string& json) {
    Statement query(db, "SELECT value FROM json_each(?1) ORDER BY key");
    query.with(json);
    std::vector<std::string> needs;
    while (query.step()) needs.push_back(query.text(0));
    return needs;
}

void bind_step(Statement& statement, const Step& s) {
    statement.with(s.execution_id, s.name, step_kind_name(s.kind), state_name(s.state),
                   needs_to_json(s.needs), s.params, s.artifact_key, s.result, s.attempts,
                   s.failures, s.worker_id, s.lease_token, s.lease_expires_at, s.not_before,
                   s.started_at, s.finished_at, s.frames_done, s.frames_total, s.checkpoint,
                   s.checkpoint_at, s.error, s.worker_class, s.regular_ms, s.preemptible_ms,
                   s.lost_ms, s.saved_ms);
}

int narrow(std::int64_t count) {
    return static_cast<int>(count);
}

Step read_step(Db db, const Statement& row) {
    return Step{row.integer(0),
                row.text(1),
                row.text(2),
                step_kind_from(row.text(3)),
                step_state_from(row.text(4)),
                needs_from_json(db, row.text(5)),
                row.text(6),
                row.text(7),
                row.text(8),
                narrow(row.integer(9)),
                narrow(row.integer(10)),
                row.text(11),
                row.integer(12),
                row.integer(13),
                row.integer(14),
                row.integer(15),
                row.integer(16),
                row.integer(17),
                row.integer(18),
                row.text(19),
                row.integer(20),
                row.text(21),
                row.text(22),
                row.integer(23),
                row.integer(24),
                row.integer(25),
                row.integer(26)};
}

std::vector<Step> read_steps(Db db, Statement& query) {
    std::vector<Step> steps;
    while (query.step()) steps.push_back(read_step(db, query));
    return steps;
}

std::optional<Step> first_step(Db db, Statement& query) {
    if (!query.step()) return std::nullopt;
    return read_step(db, query);
}

}  // namespace

std::int64_t SqliteTransaction::insert_step(const Step& step) {
    Statement insert(db_, "INSERT INTO steps (" + kStepFields + ") VALUES (" +
                              parameters(1, kStepFieldCount) + ") RETURNING id");
    bind_step(insert, step);
    insert.step();
    return insert.integer(0);
}

void SqliteTransaction::update_step(const Step& step) {
    Statement update(db_, "UPDATE steps SET (" + kStepFields + ") = (" +
                              parameters(1, kStepFieldCount) + ") WHERE id = ?" +
                              std::to_string(kStepFieldCount + 1));
    bind_step(update, step);
    update.bind(kStepFieldCount + 1, step.id);
    update.run();
    if (update.changes() == 0) throw Error::internal("store: no step " + std::to_string(step.id));
}

std::optional<Step> SqliteTransaction::step(std::int64_t id) {
    Statement query(db_, kSelectSteps + "WHERE id = ?1");
    return first_step(db_, query.with(id));
}

std::vector<Step> SqliteTransaction::steps_of(const std::string& execution_id) {
    Statement query(db_, kSelectSteps + "WHERE execution_id = ?1 ORDER BY id");
    return read_steps(db_, query.with(execution_id));
}

// The rule's state lists become bound parameters after ?1 (now) and ?2 (the execution):
// the workflow's rule is the same every time, so the SQL text is too, and its prepared
// statement is reused.
std::optional<Step> SqliteTransaction::next_claimable(const ClaimRule& rule, Millis now,
                                                      const std::string& execution_id,
                                                      const workflow::ClaimPreference& preference) {
    StateLists lists(5);
    const auto executions = lists.add(rule.executions);
    const auto ready = lists.add(rule.now);
    const auto after_backoff = lists.add(rule.after_backoff);
    const auto after_lease = lists.add(rule.after_lease_expiry);
    const auto left_to_other = lists.add(preference.leave_to_other);
    Statement query(db_, kSelectSteps + "WHERE id = (\n" +
                             "SELECT s.id FROM steps s JOIN executions e ON e.id = s.execution_id\n"
                             "WHERE e.state IN (" +
                             executions +
                             ") AND (?2 = '' OR e.id = ?2)\n"
                             "  AND (s.state IN (" +
                             ready +
                             ")\n"
                             "       OR (s.state IN (" +
                             after_backoff +
                             ") AND s.not_before <= ?1)\n"
                             "       OR (s.state IN (" +
                             after_lease +
                             ") AND s.lease_expires_at < ?1))\n"
                             "  AND NOT (s.kind IN (" +
                             left_to_other +
                             ") AND EXISTS (SELECT 1 FROM workers w WHERE w.worker_class = ?3\n"
                             "       AND w.state = 'running' AND w.seen_at >= ?4))\n"
                             "ORDER BY e.created_at, s.id\n"
                             "LIMIT 1)");
    query.with(now, execution_id, preference.other_class, preference.alive_since);
    lists.bind(query);
    return first_step(db_, query);
}

std::int64_t SqliteTransaction::count_steps(StepState state) {
    Statement query(db_, "SELECT COUNT(*) FROM steps WHERE state = ?1");
    query.with(state_name(state)).step();
    return query.integer(0);
}

workflow::WorkerTimeTotals SqliteTransaction::worker_time_totals() {
    Statement query(db_,
                    "SELECT COALESCE(SUM(regular_ms), 0), COALESCE(SUM(preemptible_ms), 0), "
                    "COALESCE(SUM(lost_ms), 0), COALESCE(SUM(saved_ms), 0) FROM steps");
    query.step();
    return {query.integer(0), query.integer(1), query.integer(2), query.integer(3)};
}

}  // namespace kompo::store
