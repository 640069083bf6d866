// Cost accounting (workflow/cost.hpp): attempts charged to their worker's class, work lost
// after the last checkpoint, artifacts' costs with their inputs, execution cost at prices.
#include <gtest/gtest.h>

#include "workflow/cost.hpp"

namespace kompo::workflow {
namespace {

Step attempt(const std::string& worker_class, Millis started_at, Millis checkpoint_at = 0) {
    Step s;
    s.name = "segment-0";
    s.worker_class = worker_class;
    s.started_at = started_at;
    s.checkpoint_at = checkpoint_at;
    return s;
}

TEST(WorkflowCost, AnAttemptIsChargedToItsWorkersClass) {
    auto s = attempt("preemptible", 10'000);
    charge_attempt(s, 25'000, true);
    EXPECT_EQ(s.preemptible_ms, 15'000);
    EXPECT_EQ(s.regular_ms, 0);
    EXPECT_EQ(s.lost_ms, 0);
    s.worker_class = "regular";
    s.started_at = 30'000;
    charge_attempt(s, 31'000, true);
    EXPECT_EQ(s.regular_ms, 1'000);
    EXPECT_EQ(s.preemptible_ms, 15'000);
}

TEST(WorkflowCost, AnUnsuccessfulAttemptLosesOnlyTheWorkAfterItsCheckpoint) {
    auto checkpointed = attempt("preemptible", 10'000, 18'000);
    charge_attempt(checkpointed, 20'000, false);
    EXPECT_EQ(checkpointed.preemptible_ms, 10'000);
    EXPECT_EQ(checkpointed.lost_ms, 2'000);
    // A checkpoint of an earlier attempt keeps nothing of this one.
    auto stale_checkpoint = attempt("regular", 10'000, 5'000);
    charge_attempt(stale_checkpoint, 20'000, false);
    EXPECT_EQ(stale_checkpoint.lost_ms, 10'000);
}

TEST(WorkflowCost, AnArtifactCostsItsOwnWorkAndWhatItWasMadeFrom) {
    std::vector<Step> steps(4);
    steps[0].name = "segment-0";
    steps[0].preemptible_ms = 5'000;
    steps[0].lost_ms = 1'000;  // redone: not part of what the piece is worth
    steps[1].name = "segment-1";
    steps[1].state = StepState::cached;
    steps[1].saved_ms = 3'000;
    steps[1].needs = {"segment-0"};  // a cached step's saving already holds its inputs
    steps[2].name = "join";
    steps[2].regular_ms = 500;
    steps[2].needs = {"segment-0", "segment-1"};
    steps[3].name = "mux";
    steps[3].regular_ms = 200;
    steps[3].needs = {"join", "segment-0"};
    EXPECT_EQ(artifact_cost(steps[3], steps), 200 + 500 + 4'000 + 3'000);
}

TEST(WorkflowCost, AnExecutionCostsItsWorkerTimeAtThePricesOfTheClasses) {
    std::vector<Step> steps(2);
    steps[0].regular_ms = 3'600'000;  // an hour on a regular worker
    steps[1].preemptible_ms = 7'200'000;
    steps[1].lost_ms = 360'000;
    steps[1].saved_ms = 1'800'000;
    const auto c = execution_cost(steps, FleetPrices{1.0, 0.3});
    EXPECT_DOUBLE_EQ(c.cost, 1.0 + 2 * 0.3);
    EXPECT_DOUBLE_EQ(c.all_regular_cost, 3.0);
    EXPECT_DOUBLE_EQ(c.regular_seconds, 3600);
    EXPECT_DOUBLE_EQ(c.preemptible_seconds, 7200);
    EXPECT_DOUBLE_EQ(c.lost_seconds, 360);
    EXPECT_DOUBLE_EQ(c.saved_seconds, 1800);
    EXPECT_DOUBLE_EQ(c.saved_cost, 0.5);
}

TEST(WorkflowCost, DefaultPricesMakePreemptibleThirtyPercentOfRegular) {
    const FleetPrices prices;
    EXPECT_DOUBLE_EQ(prices.preemptible_per_hour, 0.3 * prices.regular_per_hour);
}

}  // namespace
}  // namespace kompo::workflow
