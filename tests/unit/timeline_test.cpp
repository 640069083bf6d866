#include "komposition/timeline.hpp"

#include <gtest/gtest.h>

namespace kompo::komp {
namespace {

Komposition with_grid(double bpm, FrameRate rate, double from, double to) {
    Komposition k;
    k.bpm = bpm;
    k.config.framerate = rate;
    k.beatpattern = BeatPattern{Beats(from), Beats(to), 0};
    return k;
}

TEST(Timeline, FrameOfBeatRoundsBeatTimeToNearestFrame) {
    // 135 BPM at 30 fps: a beat is 13.333 frames, so beats land on 0, 13, 27, 40.
    Timeline t(with_grid(135, {30, 1}, 0, 64));
    EXPECT_EQ(t.frame_of(Beats(1)).value(), 13);
    EXPECT_EQ(t.frame_of(Beats(2)).value(), 27);
    EXPECT_EQ(t.frame_of(Beats(3)).value(), 40);
    EXPECT_EQ(t.total_frames().value(), 853);  // 64 * 60 / 135 * 30 = 853.33
}

TEST(Timeline, NtscRateUsesExactFraction) {
    // 174 BPM at 23.976 fps: 256 beats = 88.2759 s = 2116.504 frames at 24000/1001.
    Timeline t(with_grid(174, {24000, 1001}, 0, 256));
    EXPECT_EQ(t.total_frames().value(), 2117);
}

TEST(Timeline, RangeStartsAtFromBeatAndMasterBpmOverrides) {
    auto k = with_grid(100, {25, 1}, 8, 16);
    k.beatpattern->master_bpm = 120;
    Timeline t(k);
    EXPECT_DOUBLE_EQ(t.time_of(Beats(8)).value(), 0.0);
    EXPECT_DOUBLE_EQ(t.time_of(Beats(16)).value(), 4.0);
    EXPECT_EQ(t.total_frames().value(), 100);
}

TEST(Timeline, WithoutBeatpatternTheRangeEndsAtTheLastSegment) {
    Komposition k;
    k.bpm = 120;
    k.segments.push_back(Segment{"a", "s", Beats(0), Beats(4), Beats(4), {}, false, {}});
    k.segments.push_back(Segment{"b", "s", Beats(4), Beats(8), Beats(12), {}, false, {}});
    Timeline t(k, RenderRange{Beats(2), std::nullopt});
    EXPECT_EQ(t.from().value(), 2);
    EXPECT_EQ(t.to().value(), 12);
    EXPECT_EQ(t.total_frames().value(), 150);  // 10 beats = 5 s at 30 fps
}

}  // namespace
}  // namespace kompo::komp
