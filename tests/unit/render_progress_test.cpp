// A render's overall progress as the server, `kompo status` and `kompo render` show it:
// picture frames done over the video's, and the stage it is at — never a finished-looking
// "segments, all frames" while the sound, the mux or the publish are still to come.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/render_view.hpp"

namespace kompo::platform {
namespace {

using workflow::StepKind;
using workflow::StepState;

workflow::Step step(std::string name, StepKind kind, StepState state, std::int64_t done = 0,
                    std::int64_t total = 0) {
    workflow::Step s;
    s.name = std::move(name);
    s.kind = kind;
    s.state = state;
    s.frames_done = done;
    s.frames_total = total;
    return s;
}

// Two 60-frame segments, then join, sound, mux and publish (120 frames), in these states.
workflow::Snapshot render_at(StepState segment_2, StepState join, StepState sound, StepState mux,
                             StepState publish, std::int64_t segment_2_done = 0) {
    workflow::Snapshot snapshot;
    snapshot.steps = {step("probe", StepKind::probe, StepState::succeeded),
                      step("plan", StepKind::plan, StepState::succeeded),
                      step("segment-1", StepKind::segment, StepState::succeeded, 60, 60),
                      step("segment-2", StepKind::segment, segment_2, segment_2_done, 60),
                      step("join", StepKind::join, join),
                      step("sound", StepKind::sound, sound),
                      step("mux", StepKind::mux, mux),
                      step("publish", StepKind::publish, publish, 0, 120)};
    return snapshot;
}

TEST(RenderProgress, CountsSegmentFramesWhileSegmentsAreLeft) {
    const auto progress =
        render_progress(render_at(StepState::running, StepState::waiting, StepState::running,
                                  StepState::waiting, StepState::waiting, 15));
    EXPECT_EQ(progress.frames_done, 75);
    EXPECT_EQ(progress.total_frames, 120);
    EXPECT_EQ(progress.stage, "segments");
}

TEST(RenderProgress, AfterThePictureItNamesTheStepTheRenderStillWaitsFor) {
    const auto waiting = StepState::waiting;
    const auto done = StepState::succeeded;
    const auto running = StepState::running;
    EXPECT_EQ(render_progress(render_at(done, running, running, waiting, waiting)).stage, "join");
    EXPECT_EQ(render_progress(render_at(done, done, running, waiting, waiting)).stage, "sound");
    EXPECT_EQ(
        render_progress(render_at(StepState::cached, done, StepState::cached, running, waiting))
            .stage,
        "mux");
    EXPECT_EQ(render_progress(render_at(done, done, done, done, running)).stage, "publish");
    const auto while_sound = render_progress(render_at(done, done, running, waiting, waiting));
    EXPECT_EQ(while_sound.frames_done, 120);
    EXPECT_EQ(while_sound.total_frames, 120);
}

TEST(RenderProgress, BeforeThePlanThereIsNothingToCount) {
    workflow::Snapshot snapshot;
    snapshot.steps = {step("probe", StepKind::probe, StepState::running)};
    const auto progress = render_progress(snapshot);
    EXPECT_EQ(progress.frames_done, 0);
    EXPECT_EQ(progress.stage, "plan");
}

}  // namespace
}  // namespace kompo::platform
