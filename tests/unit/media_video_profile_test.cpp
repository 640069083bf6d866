// video_profile: shot changes (scdet) at the frames generated clips were cut at, and the
// per-second brightness and motion.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/video_profile.hpp"
#include "support/music_support.hpp"
#include "support/support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;

std::vector<std::int64_t> change_frames(const VideoProfile& profile) {
    std::vector<std::int64_t> frames;
    for (const ShotChange& change : profile.shot_changes) frames.push_back(change.frame);
    return frames;
}

TEST(VideoProfile, ShotChangesAtTheFramesTheClipWasCutAt) {
    const fs::path clip = test::scratch_dir() / "cuts.mp4";
    test::make_cut_clip(clip, {45, 38, 52, 30}, 30, 320, 180);
    const VideoProfile profile = video_profile(clip);
    EXPECT_EQ(profile.frames, 165);
    const std::vector<std::int64_t> expected = {45, 83, 135};
    ASSERT_EQ(change_frames(profile).size(), expected.size())
        << testing::PrintToString(change_frames(profile));
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_NEAR(double(profile.shot_changes[i].frame), double(expected[i]), 1.0);
        EXPECT_NEAR(profile.shot_changes[i].time.value(), expected[i] / 30.0, 1.0 / 30);
        EXPECT_GE(profile.shot_changes[i].score, 10.0);
    }
}

TEST(VideoProfile, CutsAtAnotherRateAndSize) {
    const fs::path clip = test::scratch_dir() / "cuts25.mp4";
    test::make_cut_clip(clip, {13, 61, 27}, 25, 640, 360);
    const VideoProfile profile = video_profile(clip);
    EXPECT_EQ(profile.frame_rate.num * 1.0 / profile.frame_rate.den, 25.0);
    EXPECT_EQ(change_frames(profile), (std::vector<std::int64_t>{13, 74}));
}

TEST(VideoProfile, OneMovingShotHasNoChanges) {
    const fs::path clip = test::scratch_dir() / "one.mp4";
    test::make_cut_clip(clip, {120}, 30, 320, 180);
    EXPECT_TRUE(video_profile(clip).shot_changes.empty());
}

TEST(VideoProfile, BlackAndStillSecondsShowInTheProfile) {
    const fs::path clip = test::scratch_dir() / "black_end.mp4";
    test::make_cut_clip(clip, {60}, 30, 320, 180, 60);
    const VideoProfile profile = video_profile(clip);
    ASSERT_EQ(profile.seconds.size(), 4u);
    for (int s = 0; s < 2; ++s) {
        EXPECT_GT(profile.seconds[s].brightness, 0.2) << "second " << s;
        EXPECT_GT(profile.seconds[s].motion, 0.005) << "second " << s;
    }
    for (int s = 2; s < 4; ++s) EXPECT_LT(profile.seconds[s].brightness, 0.1) << "second " << s;
    // Second 2 starts with the cut to black (one frame of change); second 3 is all still.
    EXPECT_LT(profile.seconds[3].motion, 0.001);
}

TEST(VideoProfile, AudioFileIsRefusedNamingIt) {
    const fs::path song = test::scratch_dir() / "song.wav";
    test::make_pad_track(song, 1);
    try {
        video_profile(song);
        ADD_FAILURE() << "a song was profiled as a video";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::media);
        EXPECT_NE(std::string(e.what()).find("song.wav"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace kompo::media
