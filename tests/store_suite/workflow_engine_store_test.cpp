// The engine on each store backend (store_suite.hpp): fencing of stale workers, backward
// planning against the artifact index, cancellation.
#include <gtest/gtest.h>

#include <fstream>

#include "store/store.hpp"
#include "store_suite.hpp"
#include "support/support.hpp"
#include "workflow/engine.hpp"
#include "workflow/render_graph.hpp"

namespace kompo::workflow {
namespace {

struct EngineFixture : test::StoreSuite {
    std::filesystem::path dir = test::scratch_dir();
    std::unique_ptr<store::Store> db = store::open_store(backend->fresh_url("k"));
    workflow::ArtifactFiles files{dir / "artifacts"};
    Engine engine{*db, files};

    RenderRequest request() const { return RenderRequest{"{}", dir.string(), {}, "", "", ""}; }
};

TEST_P(EngineFixture, AStaleWorkersSuccessIsRefusedAndItsFileDeleted) {
    const auto id = engine.submit(request(), "");
    const auto stale = engine.claim("worker-a", -1);  // a lease that has already run out
    ASSERT_TRUE(stale);
    EXPECT_EQ(stale->step.name, "probe");
    EXPECT_FALSE(engine.claim("worker-b", 60'000)) << "the expired step waits out its backoff";

    const auto late_file = files.temp_path(".json");
    std::ofstream(late_file) << "late";
    Outcome outcome;
    outcome.result = "{}";
    outcome.artifact_file = late_file;
    EXPECT_FALSE(engine.succeed(stale->lease, outcome));
    EXPECT_FALSE(std::filesystem::exists(late_file));
    const auto snapshot = engine.snapshot(id);
    EXPECT_EQ(snapshot->steps.front().state, StepState::retrying);
    EXPECT_EQ(snapshot->steps.front().failures, 1);
}

TEST_P(EngineFixture, PlanningBackwardsLeavesOutWhatACachedStepNeeds) {
    const auto id = engine.submit(request(), "");
    // A finished mux already in the cache.
    const auto mux_file = files.temp_path(".mp4");
    std::ofstream(mux_file) << "video";
    const auto relative = workflow::ArtifactFiles::relative_path("aa11", ".mp4");
    const auto size = files.publish(mux_file, relative);
    db->write([&](WorkflowRows& tx) { tx.put_artifact(Artifact{"aa11", relative, size, 1, 1}); });
    const auto probe = engine.claim("w", 60'000);
    ASSERT_TRUE(engine.succeed(probe->lease, Outcome{"{}", std::nullopt, {}}));
    const auto plan = engine.claim("w", 60'000);
    ASSERT_EQ(plan->step.name, "plan");

    auto step = [](std::string name, std::string key, std::vector<std::string> needs) {
        PlannedStep s;
        s.name = name;
        s.kind = step_kind_of(name).value();
        s.artifact_key = key;
        s.needs = needs;
        s.params = "{}";
        return s;
    };
    Outcome planned{"{}", std::nullopt, {}};
    planned.expansion = {step("segment-1", "bb22", {}), step("join", "cc33", {"segment-1"}),
                         step("sound", "dd44", {}), step("mux", "aa11", {"join", "sound"}),
                         step("publish", "", {"mux"})};
    ASSERT_TRUE(engine.succeed(plan->lease, planned));

    const auto snapshot = engine.snapshot(id);
    std::vector<std::string> names;
    for (const auto& s : snapshot->steps) names.push_back(s.name + ":" + state_name(s.state));
    EXPECT_EQ(names, (std::vector<std::string>{"probe:succeeded", "plan:succeeded", "mux:cached",
                                               "publish:ready"}));
}

TEST_P(EngineFixture, CancelEndsTheExecutionAndEveryOpenStep) {
    const auto id = engine.submit(request(), "");
    const auto probe = engine.claim("w", 60'000);
    EXPECT_TRUE(engine.cancel(id));
    EXPECT_FALSE(engine.cancel(id));
    EXPECT_EQ(engine.heartbeat(probe->lease, 0, 60'000), LeaseStatus::cancelled);
    const auto snapshot = engine.snapshot(id);
    EXPECT_EQ(snapshot->execution.state, ExecutionState::cancelled);
    for (const auto& s : snapshot->steps) EXPECT_EQ(s.state, StepState::cancelled) << s.name;
    EXPECT_THROW(engine.cancel("nope"), Error);
}

KOMPO_ON_EVERY_STORE(EngineFixture);

}  // namespace
}  // namespace kompo::workflow
