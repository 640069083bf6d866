// The workflow's definition: transitions by the table, backoff. The engine on each store
// backend is tests/store_suite/workflow_engine_store_test.cpp.
#include <gtest/gtest.h>

#include "workflow/engine.hpp"

namespace kompo::workflow {
namespace {

using workflow::StepState;

TEST(WorkflowDefinition, TransitionsFollowTheTable) {
    EXPECT_EQ(next_state(StepState::ready, StepEvent::claimed), StepState::running);
    EXPECT_EQ(next_state(StepState::retrying, StepEvent::claimed), StepState::running);
    EXPECT_EQ(next_state(StepState::running, StepEvent::lease_expired), StepState::retrying);
    EXPECT_EQ(next_state(StepState::running, StepEvent::released), StepState::ready);
    EXPECT_FALSE(next_state(StepState::succeeded, StepEvent::claimed));
    EXPECT_FALSE(next_state(StepState::cancelled, StepEvent::succeeded));
    EXPECT_FALSE(next_state(StepState::waiting, StepEvent::claimed));
    EXPECT_EQ(next_state(ExecutionState::queued, ExecutionEvent::started), ExecutionState::running);
    EXPECT_FALSE(next_state(ExecutionState::succeeded, ExecutionEvent::cancelled));
}

TEST(WorkflowDefinition, BackoffDoublesIsCappedAndJittered) {
    const RetryPolicy policy{5, 1000, 5000};
    EXPECT_EQ(backoff(policy, 1, 1.0), 1000);
    EXPECT_EQ(backoff(policy, 2, 1.0), 2000);
    EXPECT_EQ(backoff(policy, 3, 1.0), 4000);
    EXPECT_EQ(backoff(policy, 4, 1.0), 5000);
    EXPECT_EQ(backoff(policy, 2, 0.5), 1000);
}

}  // namespace
}  // namespace kompo::workflow
