// Crashes, preemption and restarts: work is resumed from checkpoints, never lost, and the
// output is still frame-exact.
#include <signal.h>

#include "workflow_support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

constexpr int kFrames = 600;  // 20 s at 30 fps: long enough to interrupt mid-step

// One long segment of numbered frames, rendered at 720p (slow enough to catch running),
// plus a soundtrack. Output frame i shows source frame i.
fs::path long_render(const fs::path& dir, int segments = 1) {
    make_numbered_clip(dir / "clip.mp4", 20.5, 320, 180);
    make_click_track(dir / "song.wav", 120, 21);
    Json doc = komposition_doc(120, 30, 1280, 720);
    add_source(doc, "clip", "clip.mp4", "video");
    add_source(doc, "song", "song.wav", "audio");
    const double beats = 40.0 / segments;
    for (int i = 0; i < segments; ++i) {
        add_segment(doc, "s" + std::to_string(i), "clip", i * beats, beats);
    }
    return write_doc(dir, doc);
}

json running_step(const json& status, const std::string& name) {
    for (const auto& s : status["steps"]) {
        if (s["name"] == name) return s;
    }
    return nullptr;
}

void expect_frame_exact(const fs::path& out) {
    const auto numbers = read_frame_numbers(out);
    ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kFrames));
    int wrong = 0;
    for (int i = 0; i < kFrames; ++i) wrong += numbers[i] != i;
    EXPECT_EQ(wrong, 0) << "frames showing the wrong source frame";
}

// Frames the resumed attempt had to redo, and the most frames between two checkpoints.
struct Redo {
    std::int64_t resumed_from = 0;
    std::int64_t redone = 0;
    std::int64_t checkpoint_interval_frames = 0;
};

Redo redo_of(const json& status, const std::string& step) {
    Redo redo;
    const auto starts = step_events(status, step, "step.running");
    EXPECT_EQ(starts.size(), 2u);
    if (starts.size() < 2) return redo;
    const auto second_seq = starts[1]["seq"].get<std::int64_t>();
    redo.resumed_from = starts[1]["detail"]["from_frame"].get<std::int64_t>();
    std::int64_t last_progress = 0;
    for (const auto& e : step_events(status, step, "step.progress")) {
        if (e["seq"].get<std::int64_t>() > second_seq) break;
        last_progress = e["detail"]["frames_done"].get<std::int64_t>();
    }
    // Checkpoints are taken by time, so how many frames one interval holds follows the
    // machine's speed: the widest interval of the whole step, both attempts (the second
    // starts at the first's last checkpoint, so its gaps count from there too).
    std::int64_t previous = 0;
    for (const auto& e : step_events(status, step, "step.checkpoint")) {
        const auto frames = e["detail"]["frames_done"].get<std::int64_t>();
        redo.checkpoint_interval_frames =
            std::max(redo.checkpoint_interval_frames, frames - previous);
        previous = frames;
    }
    redo.redone = last_progress - redo.resumed_from;
    return redo;
}

// Two workers serving one long render.
struct RecoveryWithTwoWorkers : ::testing::Test {
    fs::path dir = scratch_dir();
    fs::path out = dir / "out.mp4";
    WorkerProcess a{"worker-a", dir / "a.log"};
    WorkerProcess b{"worker-b", dir / "b.log"};
    std::string id = submit(long_render(dir), out);

    WorkerProcess& worker(const std::string& worker_id) { return worker_id == a.id() ? a : b; }
};

TEST_F(RecoveryWithTwoWorkers, KilledWorkersStepResumesFromItsCheckpointElsewhere) {
    const auto before = wait_for_status(
        id, [](const json& s) { return segment_past_checkpoint(running_step(s, "segment-1")); });
    const auto victim = step_named(before, "segment-1")["worker"].get<std::string>();
    worker(victim).signal(SIGKILL);

    const auto done = watch(id);
    ASSERT_EQ(done.exit_code, 0) << done.out;
    const auto status = status_of(id);
    const auto segment = step_named(status, "segment-1");
    EXPECT_EQ(segment["state"], "succeeded");
    EXPECT_EQ(segment["attempts"], 2);
    EXPECT_NE(segment["worker"], victim);
    EXPECT_EQ(step_events(status, "segment-1", "step.lease_expired").size(), 1u);

    const auto redo = redo_of(status, "segment-1");
    EXPECT_GT(redo.resumed_from, 0) << "resumed from its checkpoint, not from the start";
    EXPECT_GT(redo.checkpoint_interval_frames, 0);
    EXPECT_LE(redo.redone, redo.checkpoint_interval_frames)
        << "redid more than one checkpoint interval";
    expect_frame_exact(out);
}

TEST_F(RecoveryWithTwoWorkers, PreemptedWorkerCheckpointsHandsBackAndExitsZero) {
    const auto before = wait_for_status(id, [](const json& s) {
        const auto step = running_step(s, "segment-1");
        return !step.is_null() && step["state"] == "running" && step["frames_done"] > 0;
    });
    const auto holder = step_named(before, "segment-1")["worker"].get<std::string>();
    auto& preempted = worker(holder);
    preempted.signal(SIGTERM);
    EXPECT_EQ(preempted.wait_exit(), 0);

    const auto done = watch(id);
    ASSERT_EQ(done.exit_code, 0) << done.out;
    const auto status = status_of(id);
    EXPECT_EQ(step_named(status, "segment-1")["attempts"], 2);
    EXPECT_NE(step_named(status, "segment-1")["worker"], holder);
    const auto released = step_events(status, "segment-1", "step.released");
    ASSERT_EQ(released.size(), 1u);
    const auto starts = step_events(status, "segment-1", "step.running");
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_GT(starts[1]["detail"]["from_frame"].get<int>(), 0)
        << "the preempted worker checkpointed before handing back";
    EXPECT_EQ(starts[1]["detail"]["from_frame"], released[0]["detail"]["frames_done"]);
    expect_frame_exact(out);
}

TEST(WorkflowRecovery, EverythingKilledThenRestartedContinuesWhereItStopped) {
    const auto dir = scratch_dir();
    const auto k = long_render(dir, 2);
    const auto out = dir / "out.mp4";
    const auto id = submit(k, out);
    {
        WorkerProcess a("worker-a", dir / "a.log");
        WorkerProcess b("worker-b", dir / "b.log");
        wait_for_status(id, [](const json& s) {
            return segment_past_checkpoint(running_step(s, "segment-1")) &&
                   segment_past_checkpoint(running_step(s, "segment-2"));
        });
    }  // both SIGKILLed
    WorkerProcess c("worker-c", dir / "c.log");
    WorkerProcess d("worker-d", dir / "d.log");
    const auto done = watch(id);
    ASSERT_EQ(done.exit_code, 0) << done.out;
    const auto status = status_of(id);
    for (const auto* name : {"segment-1", "segment-2"}) {
        EXPECT_EQ(step_named(status, name)["attempts"], 2) << name;
        EXPECT_GT(redo_of(status, name).resumed_from, 0) << name;
    }
    expect_frame_exact(out);
}

}  // namespace
}  // namespace kompo::test
