#pragma once
// What an execution cost: every attempt of a step is charged, when it ends, to the class of
// the worker that ran it (worker time, one step at a time per worker slot); an attempt
// that ends without success loses the work after its last checkpoint (redone by the next
// attempt); a step found in the cache saves what making its artifact had cost. The
// prices per worker-hour are configuration (`fleet.price_per_hour.*`, platform/config).
#include <vector>

#include "core/clock.hpp"
#include "workflow/rows.hpp"

namespace kompo::workflow {

// Per worker slot and hour, in the operator's currency. The defaults: a regular slot at
// 0.40 (about an on-demand 4-vCPU machine's hour on the big clouds, 2026) and a
// preemptible one at 30% of it, what spot capacity usually costs.
struct FleetPrices {
    double regular_per_hour = 0.40;
    double preemptible_per_hour = 0.12;
};

// Worker time as the seconds every view of cost shows.
inline double seconds_of(Millis ms) {
    return static_cast<double>(ms) / 1000.0;
}

// Charges the attempt of `step` that ends at `end` to its worker's class; `kept`: it
// succeeded, else the time since its last checkpoint of this attempt is lost.
void charge_attempt(Step& step, Millis end, bool kept);

// Worker time a step stands for: its own work kept, or, found in the cache, what its
// artifact had cost.
Millis work_of(const Step& step);

// The worker time an artifact of `step` cost to make: its own work and that of every
// step it was made from (which a later execution that finds it in the cache leaves out).
Millis artifact_cost(const Step& step, const std::vector<Step>& steps_of_execution);

struct ExecutionCost {
    double regular_seconds = 0;      // worker time on regular workers
    double preemptible_seconds = 0;  // and on preemptible ones
    double lost_seconds = 0;         // of those, work lost and redone
    double saved_seconds = 0;        // worker time the cache saved
    double cost = 0;                 // at the prices
    double all_regular_cost = 0;     // the same worker time on regular workers only
    double saved_cost = 0;           // the saved time at the regular price
};

ExecutionCost execution_cost(const std::vector<Step>& steps, const FleetPrices& prices);
ExecutionCost totals_cost(const WorkerTimeTotals& totals, const FleetPrices& prices);

}  // namespace kompo::workflow
