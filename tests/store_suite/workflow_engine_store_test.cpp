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
    // It cost 7 s of worker time to make, with its inputs.
    db->write([&](WorkflowRows& tx) {
        tx.put_artifact(Artifact{"aa11", relative, size, 1, 1, 7'000});
    });
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
    EXPECT_EQ(snapshot->steps[2].saved_ms, 7'000) << "the cache saved what the mux had cost";
}

// The scheduler's preference through the engine: the claimer's class is the one its
// worker record says; a preemptible worker leaves the join to a live regular worker.
TEST_P(EngineFixture, APreemptibleWorkerLeavesTheJoinToALiveRegularWorker) {
    const auto id = engine.submit(request(), "");
    auto record = [&](const std::string& worker_id, const std::string& worker_class,
                      const std::string& state) {
        db->write([&](WorkflowRows& tx) {
            tx.upsert_worker({worker_id, worker_class, "h", 1, now_millis(), now_millis(), state});
        });
    };
    record("spot", "preemptible", "running");
    record("steady", "regular", "running");
    for (const char* name : {"probe", "plan"}) {
        const auto claim = engine.claim("spot", 60'000);
        ASSERT_TRUE(claim);
        ASSERT_EQ(claim->step.name, name);
        Outcome outcome{"{}", std::nullopt, {}};
        if (claim->step.name == "plan") {
            PlannedStep segment;
            segment.name = "segment-1";
            segment.kind = StepKind::segment;
            PlannedStep join;
            join.name = "join";
            join.kind = StepKind::join;
            join.needs = {"segment-1"};
            PlannedStep publish;
            publish.name = "publish";
            publish.kind = StepKind::publish;
            publish.needs = {"join"};
            outcome.expansion = {segment, join, publish};
        }
        ASSERT_TRUE(engine.succeed(claim->lease, outcome));
    }
    EXPECT_FALSE(engine.claim("steady", 60'000)) << "the segment is left to the spot worker";
    const auto segment = engine.claim("spot", 60'000);
    ASSERT_TRUE(segment);
    EXPECT_EQ(segment->step.worker_class, "preemptible");
    ASSERT_TRUE(engine.succeed(segment->lease, Outcome{"{}", std::nullopt, {}}));

    EXPECT_FALSE(engine.claim("spot", 60'000)) << "the join is left to the regular worker";
    record("steady", "regular", "draining");
    const auto join = engine.claim("spot", 60'000);
    ASSERT_TRUE(join) << "with no regular worker left, the spot worker takes the join";
    EXPECT_EQ(join->step.name, "join");
    const auto snapshot = engine.snapshot(id);
    EXPECT_EQ(snapshot->steps[2].state, StepState::succeeded);
    EXPECT_GE(snapshot->steps[2].preemptible_ms, 0);
    EXPECT_EQ(snapshot->steps[2].regular_ms, 0) << "a preemptible worker's time";
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

// A preempted worker checkpoints, then hands its step back; a heartbeat counted before the
// checkpoint may be committed after it. What the hand-back says was kept, and where the row
// stands, is the checkpoint: where the next attempt resumes.
TEST_P(EngineFixture, AHandBackReportsTheCheckpointTheNextAttemptResumesFrom) {
    const auto id = engine.submit(request(), "");
    const auto first = engine.claim("worker-a", 60'000);
    ASSERT_TRUE(first);
    ASSERT_TRUE(engine.checkpoint(first->lease, R"({"frames_done":86})", 86));
    ASSERT_EQ(engine.heartbeat(first->lease, 80, 60'000), LeaseStatus::held);  // a late count
    engine.release(first->lease);

    std::optional<std::int64_t> released_frames;
    for (const auto& e : engine.events(id, 0, 1000)) {
        if (e.type == EventType::step_released) {
            released_frames = nlohmann::json::parse(e.detail)["frames_done"].get<std::int64_t>();
        }
    }
    ASSERT_TRUE(released_frames);
    EXPECT_EQ(*released_frames, 86);
    EXPECT_EQ(engine.snapshot(id)->steps.front().frames_done, 86);
    const auto again = engine.claim("worker-b", 60'000);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->step.frames_done, 86);  // resumed from the checkpoint
}

KOMPO_ON_EVERY_STORE(EngineFixture);

}  // namespace
}  // namespace kompo::workflow
