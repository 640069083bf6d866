// The order of a render's steps, which is the order workers claim them in.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "workflow/render_graph.hpp"

namespace kompo::workflow {
namespace {

// `segments` footage segments of `frames_each` frames at 1280x720, 30 fps, and a silent
// soundtrack as long as all of them.
plan::Plan plan_of(int segments, std::int64_t frames_each) {
    plan::Plan plan;
    for (int i = 0; i < segments; ++i) {
        plan::SegmentPiece piece;
        piece.segment_id = "s" + std::to_string(i);
        piece.where = "segments[" + std::to_string(i) + "]";
        piece.kind = plan::PictureKind::video;
        piece.source_path = "/media/clip.mp4";
        piece.first_frame = FrameIndex(i * frames_each);
        piece.frame_count = FrameCount(frames_each);
        plan.segments.push_back(piece);
    }
    plan.total_frames = FrameCount(segments * frames_each);
    plan.join.total_frames = plan.total_frames;
    plan.sound.total_frames = plan.total_frames;
    plan.mux.total_frames = plan.total_frames;
    return plan;
}

std::vector<std::string> names_of(const plan::Plan& plan) {
    const SourceHashes hashes{{"/media/clip.mp4", std::string(64, 'a')}};
    std::vector<std::string> names;
    for (const auto& step : render_graph(plan, hashes, {})) names.push_back(step.name);
    return names;
}

TEST(RenderGraph, AShortSongIsClaimedAfterTheSegments) {
    // 8 segments of 4 s: the 32-s sound takes about as long to encode as one of them.
    const auto names = names_of(plan_of(8, 120));
    ASSERT_EQ(names.size(), 12u);
    EXPECT_EQ(names.front(), "segment-1");
    EXPECT_EQ(names[8], "join");
    EXPECT_EQ(names[9], "sound");
    EXPECT_EQ(names.back(), "publish");
}

TEST(RenderGraph, AFullSongIsClaimedBeforeTheSegments) {
    // 90 segments of 2 s: the 3-minute sound would be left running alone at the end.
    const auto names = names_of(plan_of(90, 60));
    ASSERT_EQ(names.size(), 94u);
    EXPECT_EQ(names.front(), "sound");
    EXPECT_EQ(names[1], "segment-1");
    EXPECT_EQ(names[91], "join");
    EXPECT_EQ(names.back(), "publish");
}

TEST(RenderGraph, ALongSegmentCountsAsTheChunksItIsRenderedIn) {
    // One 3-minute segment, cut into 8-s chunks: each chunk is far shorter than the sound.
    const auto names = names_of(plan_of(1, 5400));
    EXPECT_EQ(names.front(), "sound");
    EXPECT_EQ(names[1], "segment-1.1");
}

}  // namespace
}  // namespace kompo::workflow
