// Steps on PostgreSQL: the rows workers claim, each claim locking its row so that workers
// claiming at once get different steps instead of queueing on one.
#include <string>
#include <tuple>

#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

const std::string kStepParameters =
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, "
    "$20, $21, $22, $23, $24, $25, $26";

// Every column qualified (a claim joins executions, which has columns of the same names).
// `needs` is read back as a text[] of the JSON array's names, in order: PostgreSQL's JSON
// reader undoes whatever escaping the writer did.
std::string select_steps() {
    std::string columns = "SELECT steps.id";
    std::size_t start = 0;
    while (start < kStepFields.size()) {
        auto end = kStepFields.find(", ", start);
        if (end == std::string::npos) end = kStepFields.size();
        const auto column = kStepFields.substr(start, end - start);
        columns += column == "needs" ? ", ARRAY(SELECT n.name FROM json_array_elements_text("
                                       "steps.needs::json) WITH ORDINALITY AS n(name, i) "
                                       "ORDER BY n.i)"
                                     : ", steps." + column;
        start = end + 2;
    }
    return columns + " FROM steps ";
}
const std::string kSelectSteps = select_steps();

std::vector<std::string> read_names(const pqxx::field& field) {
    std::vector<std::string> names;
    auto parser = field.as_array();
    for (auto [junction, value] = parser.get_next(); junction != pqxx::array_parser::done;
         std::tie(junction, value) = parser.get_next()) {
        if (junction == pqxx::array_parser::string_value) names.push_back(value);
    }
    return names;
}

// The 26 fields after the id, in the order of kStepFields.
auto values(const Step& s) {
    return std::make_tuple(s.execution_id, s.name, std::string(step_kind_name(s.kind)),
                           std::string(state_name(s.state)), needs_to_json(s.needs), s.params,
                           s.artifact_key, s.result, s.attempts, s.failures, s.worker_id,
                           s.lease_token, s.lease_expires_at, s.not_before, s.started_at,
                           s.finished_at, s.frames_done, s.frames_total, s.checkpoint,
                           s.checkpoint_at, s.error, s.worker_class, s.regular_ms, s.preemptible_ms,
                           s.lost_ms, s.saved_ms);
}

int narrow(std::int64_t count) {
    return static_cast<int>(count);
}

Step read_step(const pqxx::row& row) {
    return Step{integer(row[0]),
                text(row[1]),
                text(row[2]),
                step_kind_from(text(row[3])),
                step_state_from(text(row[4])),
                read_names(row[5]),
                text(row[6]),
                text(row[7]),
                text(row[8]),
                narrow(integer(row[9])),
                narrow(integer(row[10])),
                text(row[11]),
                integer(row[12]),
                integer(row[13]),
                integer(row[14]),
                integer(row[15]),
                integer(row[16]),
                integer(row[17]),
                integer(row[18]),
                text(row[19]),
                integer(row[20]),
                text(row[21]),
                text(row[22]),
                integer(row[23]),
                integer(row[24]),
                integer(row[25]),
                integer(row[26])};
}

std::vector<Step> read_steps(const pqxx::result& rows) {
    std::vector<Step> steps;
    for (const auto& row : rows) steps.push_back(read_step(row));
    return steps;
}

// Idle workers are told: they need not wait for their next look.
bool claimable_now(StepState state) {
    return workflow::info(state).claimable == workflow::Claimable::now;
}

std::optional<Step> first_step(const pqxx::result& rows) {
    if (rows.empty()) return std::nullopt;
    return read_step(rows[0]);
}

}  // namespace

std::int64_t PostgresTransaction::insert_step(const Step& s) {
    const auto sql =
        "INSERT INTO steps (" + kStepFields + ") VALUES (" + kStepParameters + ") RETURNING id";
    const auto inserted = std::apply([&](const auto&... v) { return run(sql, v...); }, values(s));
    if (claimable_now(s.state)) announce(Change::steps);
    return integer(inserted[0][0]);
}

void PostgresTransaction::update_step(const Step& s) {
    const auto sql =
        "UPDATE steps SET (" + kStepFields + ") = (" + kStepParameters + ") WHERE id = $27";
    const auto updated =
        std::apply([&](const auto&... v) { return run(sql, v..., s.id); }, values(s));
    if (updated.affected_rows() == 0) {
        throw Error::internal("store: no step " + std::to_string(s.id));
    }
    if (claimable_now(s.state)) announce(Change::steps);
}

std::optional<Step> PostgresTransaction::step(std::int64_t id) {
    return first_step(run(kSelectSteps + "WHERE id = $1", id));
}

std::vector<Step> PostgresTransaction::steps_of(const std::string& execution_id) {
    return read_steps(run(kSelectSteps + "WHERE execution_id = $1 ORDER BY id", execution_id));
}

// In a write, the step found is locked until commit, and steps another transaction has
// locked are passed over (SKIP LOCKED): the claim that follows is this transaction's
// alone. A read only looks.
std::optional<Step> PostgresTransaction::next_claimable(
    const ClaimRule& rule, Millis now, const std::string& execution_id,
    const workflow::ClaimPreference& preference) {
    const std::string lock = read_only_ ? "" : " FOR UPDATE OF steps SKIP LOCKED";
    return first_step(run(
        kSelectSteps +
            "JOIN executions e ON e.id = steps.execution_id\n"
            "WHERE e.state = ANY($3::text[]) AND ($2 = '' OR e.id = $2)\n"
            "  AND (steps.state = ANY($4::text[])\n"
            "       OR (steps.state = ANY($5::text[]) AND steps.not_before <= $1)\n"
            "       OR (steps.state = ANY($6::text[]) AND steps.lease_expires_at < $1))\n"
            "  AND NOT (steps.kind = ANY($7::text[]) AND EXISTS (SELECT 1 FROM workers w\n"
            "       WHERE w.worker_class = $8 AND w.state = 'running' AND w.seen_at >= $9))\n"
            "ORDER BY e.created_at, steps.id\n"
            "LIMIT 1" +
            lock,
        now, execution_id, state_array(rule.executions), state_array(rule.now),
        state_array(rule.after_backoff), state_array(rule.after_lease_expiry),
        state_array(preference.leave_to_other), preference.other_class, preference.alive_since));
}

std::int64_t PostgresTransaction::count_steps(StepState state) {
    return integer(run("SELECT COUNT(*) FROM steps WHERE state = $1", state_name(state))[0][0]);
}

workflow::WorkerTimeTotals PostgresTransaction::worker_time_totals() {
    const auto row = run(
        "SELECT COALESCE(SUM(regular_ms), 0)::bigint, COALESCE(SUM(preemptible_ms), 0)::bigint, "
        "COALESCE(SUM(lost_ms), 0)::bigint, COALESCE(SUM(saved_ms), 0)::bigint FROM steps")[0];
    return {integer(row[0]), integer(row[1]), integer(row[2]), integer(row[3])};
}

}  // namespace kompo::store
