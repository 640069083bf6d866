// Every render has exactly F(to) - F(from) frames, and every segment boundary falls on
// its frame: checked on decoded frames of solid-colour sources.
#include <fstream>
#include <tuple>

#include "e2e_support.hpp"

namespace kompo::test {
namespace {

struct Grid {
    double bpm;
    std::string fps_text;  // as written in the document
    double fps;
};

class FrameExact : public ::testing::TestWithParam<std::tuple<double, int>> {};

const char* kColours[] = {"red", "lime", "blue", "yellow"};

Grid grid_of(double bpm, int rate_index) {
    static const std::pair<std::string, double> rates[] = {
        {"30", 30.0}, {"25", 25.0}, {"23.976", 24000.0 / 1001.0}};
    return Grid{bpm, rates[rate_index].first, rates[rate_index].second};
}

TEST_P(FrameExact, EverySegmentBoundaryFallsOnItsFrame) {
    const auto [bpm, rate_index] = GetParam();
    const Grid grid = grid_of(bpm, rate_index);
    const auto dir = scratch_dir();
    for (const char* c : kColours) make_colour_clip(dir / (std::string(c) + ".mp4"), c, 12, 96, 54);

    Json doc = komposition_doc(bpm, nlohmann::json::parse(grid.fps_text));
    for (const char* c : kColours) add_source(doc, c, std::string(c) + ".mp4", "video");
    // Lengths that do not divide evenly into frames, so rounding is exercised.
    const double lengths[] = {1.5, 3, 0.75, 2.25, 4, 1, 2.5, 1};
    double beat = 0;
    for (int i = 0; i < 8; ++i) {
        add_segment(doc, "s" + std::to_string(i), kColours[i % 4], beat, lengths[i]);
        beat += lengths[i];
    }
    const double to = beat;  // 16 beats
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, doc), out);

    const long expected = frame_of(to, 0, bpm, grid.fps);
    ASSERT_EQ(count_video_frames(out), expected);
    const auto colours = frame_colours(out);
    ASSERT_EQ(static_cast<long>(colours.size()), expected);
    beat = 0;
    for (int i = 0; i < 8; ++i) {
        const long first = frame_of(beat, 0, bpm, grid.fps);
        beat += lengths[i];
        const long end = frame_of(beat, 0, bpm, grid.fps);
        for (long f = first; f < end; ++f) {
            ASSERT_TRUE(near_colour(colours[static_cast<size_t>(f)], colour(kColours[i % 4])))
                << "frame " << f << " of segment " << i << " (frames " << first << "-" << end
                << ") is " << colours[static_cast<size_t>(f)][0] << ","
                << colours[static_cast<size_t>(f)][1] << "," << colours[static_cast<size_t>(f)][2];
        }
    }
    // The stream says so too: constant frame rate, the exact duration.
    auto probe = ffprobe(out);
    const auto& video = probe["streams"][0];
    EXPECT_EQ(video["codec_name"], "h264");
    EXPECT_EQ(video["pix_fmt"], "yuv420p");
    EXPECT_EQ(video["width"], 96);
    EXPECT_EQ(video["height"], 54);
}

std::string grid_name(const ::testing::TestParamInfo<std::tuple<double, int>>& info) {
    static const char* rates[] = {"30fps", "25fps", "23976fps"};
    return std::to_string(static_cast<int>(std::get<0>(info.param))) + "bpm_" +
           rates[std::get<1>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(BpmAndFps, FrameExact,
                         ::testing::Combine(::testing::Values(120.0, 128.0, 135.0, 174.0),
                                            ::testing::Values(0, 1, 2)),
                         grid_name);

TEST(FrameExactRange, FromAndToBeatRenderOnlyThatPartOnTheSameGrid) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "red.mp4", "red", 12, 96, 54);
    make_colour_clip(dir / "blue.mp4", "blue", 12, 96, 54);
    Json doc = komposition_doc(128, 30);
    add_source(doc, "red", "red.mp4", "video");
    add_source(doc, "blue", "blue.mp4", "video");
    add_segment(doc, "a", "red", 0, 6);
    add_segment(doc, "b", "blue", 6, 10);
    const auto out = dir / "part.mp4";
    render_ok(write_doc(dir, doc), out, {"--from-beat", "4", "--to-beat", "9"});
    const long total = frame_of(9, 4, 128, 30);
    const long boundary = frame_of(6, 4, 128, 30);
    const auto colours = frame_colours(out);
    ASSERT_EQ(static_cast<long>(colours.size()), total);
    for (long f = 0; f < total; ++f) {
        EXPECT_TRUE(
            near_colour(colours[static_cast<size_t>(f)], colour(f < boundary ? "red" : "blue")))
            << "frame " << f;
    }
}

TEST(FrameExactRange, BeatpatternSetsTheRangeAndMasterBpmTheGrid) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "red.mp4", "red", 20, 96, 54);
    Json doc = komposition_doc(90, 25);
    doc["beatpattern"] = {{"frombeat", 2}, {"tobeat", 10}, {"masterbpm", 150}};
    add_source(doc, "red", "red.mp4", "video");
    add_segment(doc, "a", "red", 0, 16);
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, doc), out);
    EXPECT_EQ(count_video_frames(out), frame_of(10, 2, 150, 25));  // 8 beats at 150 BPM = 80
}

}  // namespace
}  // namespace kompo::test
