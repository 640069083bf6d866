#include "workflow/vocabulary.hpp"

namespace kompo::workflow {

namespace {

template <typename Table, typename Keep>
auto states_where(const Table& table, Keep keep) {
    std::vector<decltype(table[0].state)> states;
    for (const auto& row : table) {
        if (keep(row)) states.push_back(row.state);
    }
    return states;
}

std::vector<StepState> claimable(Claimable when) {
    return states_where(kStepStates,
                        [when](const StepStateInfo& s) { return s.claimable == when; });
}

}  // namespace

std::vector<ExecutionState> unfinished_states() {
    return states_where(kExecutionStates, [](const ExecutionStateInfo& e) { return e.unfinished; });
}

const ClaimRule& claim_rule() {
    static const ClaimRule rule{unfinished_states(), claimable(Claimable::now),
                                claimable(Claimable::after_backoff),
                                claimable(Claimable::after_lease_expiry)};
    return rule;
}

}  // namespace kompo::workflow
