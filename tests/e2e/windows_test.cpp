// Which part of the source each frame shows (sync mode, windows, stretch, images,
// past-the-end holds) and how it is framed (rotation, letterbox, crop), checked on the
// decoded pixels of the rendered file.
#include <cmath>
#include <fstream>

#include "e2e_support.hpp"

namespace kompo::test {
namespace {

// 16 bars of 8 pixels: the frame number stays readable after rendering at 128 wide.
constexpr int kW = 128;
constexpr int kH = 72;

Json numbered_doc(const fs::path& dir, double fps, double seconds = 10) {
    make_numbered_clip(dir / "numbers.mp4", seconds, kW, kH, "30");
    Json doc = komposition_doc(120, fps, kW, kH);
    add_source(doc, "numbers", "numbers.mp4", "video", 0.5);
    return doc;
}

std::vector<int> render_numbers(const fs::path& dir, const Json& doc,
                                CommandResult* result = nullptr) {
    const auto out = dir / "out.mp4";
    auto r = render_ok(write_doc(dir, doc), out);
    if (result) *result = r;
    return read_frame_numbers(out);
}

TEST(Windows, SyncModeShowsTheSourceTimeOfEachBeat) {
    const auto dir = scratch_dir();
    Json doc = numbered_doc(dir, 30);
    add_segment(doc, "a", "numbers", 0, 8);  // 4 s, source 0.5 s to 4.5 s
    const auto numbers = render_numbers(dir, doc);
    ASSERT_EQ(numbers.size(), 120u);
    for (int f = 0; f < 120; ++f) EXPECT_EQ(numbers[f], 15 + f) << "frame " << f;
}

TEST(Windows, SyncModeAcrossFrameRatesPicksTheFrameShowingAtThatTime) {
    const auto dir = scratch_dir();
    Json doc = numbered_doc(dir, 25);
    add_segment(doc, "a", "numbers", 2, 6);  // output 1 s to 4 s of the timeline
    doc["beatpattern"] = {{"frombeat", 0}, {"tobeat", 8}, {"masterbpm", 0}};
    add_segment(doc, "lead", "numbers", 0, 2);
    const auto numbers = render_numbers(dir, doc);
    ASSERT_EQ(numbers.size(), 100u);
    for (int f = 0; f < 100; ++f) {
        // Output time f/25 shows source time 0.5 + f/25: source frame floor(that * 30).
        const int expected = static_cast<int>(std::floor((0.5 + f / 25.0) * 30 + 1e-6));
        EXPECT_EQ(numbers[f], expected) << "frame " << f;
    }
}

TEST(Windows, SourceTimingWindowShorterThanTheSegmentHoldsItsLastFrame) {
    const auto dir = scratch_dir();
    Json doc = numbered_doc(dir, 30);
    auto& seg = add_segment(doc, "a", "numbers", 0, 4);  // 2 s = 60 frames
    seg["source_timing"] = {{"original_start", 3.0}, {"original_duration", 1.0}};
    const auto numbers = render_numbers(dir, doc);
    ASSERT_EQ(numbers.size(), 60u);
    for (int f = 0; f < 60; ++f) EXPECT_EQ(numbers[f], f < 30 ? 90 + f : 119) << "frame " << f;
}

TEST(Windows, StretchRetimesTheWindowToFillTheSegment) {
    const auto dir = scratch_dir();
    Json doc = numbered_doc(dir, 30);
    auto& seg = add_segment(doc, "a", "numbers", 0, 4);  // 2 s
    seg["source_timing"] = {{"original_start", 3.0}, {"original_duration", 4.0}};
    seg["stretch_factor"] = 2;
    const auto numbers = render_numbers(dir, doc);
    ASSERT_EQ(numbers.size(), 60u);
    for (int f = 0; f < 60; ++f) EXPECT_EQ(numbers[f], 90 + 2 * f) << "frame " << f;
}

TEST(Windows, PastTheEndOfTheMediumHoldsTheLastFrameAndWarns) {
    const auto dir = scratch_dir();
    Json doc = numbered_doc(dir, 30, 2.0);      // 60 frames: 0..59
    add_segment(doc, "tail", "numbers", 0, 8);  // needs 0.5 s to 4.5 s
    CommandResult r;
    const auto numbers = render_numbers(dir, doc, &r);
    ASSERT_EQ(numbers.size(), 120u);
    for (int f = 0; f < 120; ++f) EXPECT_EQ(numbers[f], std::min(15 + f, 59)) << "frame " << f;
    EXPECT_NE(r.err.find("warning: segments[0] (\"tail\")"), std::string::npos) << r.err;
}

TEST(Windows, ImagesFillTheirSegment) {
    const auto dir = scratch_dir();
    make_colour_image(dir / "still.png", "magenta", 64, 36);
    make_colour_image(dir / "still.jpg", "cyan", 64, 36);
    Json doc = komposition_doc(120, 30);
    add_source(doc, "png", "file://still.png", "image");
    add_source(doc, "jpg", "file://still.jpg", "IMAGE");
    auto& a = add_segment(doc, "a", "png", 0, 2);
    a["source_timing"] = {{"static_duration", 1.0}};
    add_segment(doc, "b", "jpg", 2, 2);
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, doc), out);
    const auto colours = frame_colours(out);
    ASSERT_EQ(colours.size(), 60u);
    for (int f = 0; f < 60; ++f) {
        EXPECT_TRUE(near_colour(colours[f], colour(f < 30 ? "magenta" : "cyan"))) << "frame " << f;
    }
}

TEST(Windows, GapsRenderBlackWithAWarning) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "red.mp4", "red", 10, 96, 54);
    Json doc = komposition_doc(120, 30);
    add_source(doc, "red", "red.mp4", "video");
    add_segment(doc, "a", "red", 0, 2);
    add_segment(doc, "b", "red", 4, 2);
    const auto out = dir / "out.mp4";
    auto r = render_ok(write_doc(dir, doc), out);
    EXPECT_NE(r.err.find("warning: beats 2 to 4 have no segment"), std::string::npos) << r.err;
    const auto colours = frame_colours(out);
    ASSERT_EQ(colours.size(), 90u);
    for (int f = 0; f < 90; ++f) {
        EXPECT_TRUE(near_colour(colours[f], colour(f >= 30 && f < 60 ? "black" : "red"))) << f;
    }
}

// A phone clip: stored landscape (red top half, blue bottom half) with rotation metadata.
fs::path make_phone_clip(const fs::path& dir, int rotation) {
    const auto raw = dir / "raw.mp4";
    ffmpeg({"-f", "lavfi", "-i",
            "color=c=red:s=320x180:r=30:d=2,drawbox=x=0:y=90:w=320:h=90:color=blue:t=fill", "-c:v",
            "libx264", "-pix_fmt", "yuv420p", raw.string()});
    const auto phone = dir / ("phone" + std::to_string(rotation) + ".mp4");
    ffmpeg({"-i", raw.string(), "-c", "copy", "-metadata:s:v:0",
            "rotate=" + std::to_string(rotation), phone.string()});
    return phone;
}

// Region colours of the ffmpeg program's own upright (autorotated) letterboxed picture.
std::vector<Rgb> reference_regions(const fs::path& dir, const fs::path& clip) {
    const auto ref = dir / "reference.mp4";
    ffmpeg({"-i", clip.string(), "-frames:v", "1", "-vf",
            "scale=96:54:force_original_aspect_ratio=decrease,pad=96:54:(ow-iw)/2:(oh-ih)/2",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", ref.string()});
    std::vector<Rgb> regions;
    for (auto [x, y] : {std::pair{0.4, 0.1}, {0.55, 0.1}, {0.4, 0.8}, {0.55, 0.8}, {0.0, 0.5}})
        regions.push_back(region_colours(ref, x, y, 0.05, 0.1).at(0));
    return regions;
}

TEST(Windows, RotationMetadataIsHonouredLikeThePlayersDo) {
    for (int rotation : {90, 270, 180}) {
        const auto dir = scratch_dir() / std::to_string(rotation);
        fs::create_directories(dir);
        const auto clip = make_phone_clip(dir, rotation);
        Json doc = komposition_doc(120, 30);
        add_source(doc, "phone", clip.filename().string(), "video");
        add_segment(doc, "a", "phone", 0, 2);
        const auto out = dir / "out.mp4";
        render_ok(write_doc(dir, doc), out);
        const auto expected = reference_regions(dir, clip);
        int i = 0;
        for (auto [x, y] :
             {std::pair{0.4, 0.1}, {0.55, 0.1}, {0.4, 0.8}, {0.55, 0.8}, {0.0, 0.5}}) {
            const auto got = region_colours(out, x, y, 0.05, 0.1).at(10);
            EXPECT_TRUE(near_colour(got, expected[static_cast<size_t>(i)], 60))
                << "rotation " << rotation << " region " << x << "," << y << ": got " << got[0]
                << "," << got[1] << "," << got[2];
            ++i;
        }
    }
}

TEST(Windows, LetterboxKeepsTheWholePictureAndCropFillsTheFrame) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "square.mp4", "red", 4, 120, 120);
    Json doc = komposition_doc(120, 30);
    add_source(doc, "sq", "square.mp4", "video");
    add_segment(doc, "boxed", "sq", 0, 2);
    add_segment(doc, "cropped", "sq", 2, 2)["fit"] = "crop";
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, doc), out);
    const auto left = region_colours(out, 0.0, 0.3, 0.15, 0.4);
    const auto middle = region_colours(out, 0.4, 0.3, 0.2, 0.4);
    ASSERT_EQ(left.size(), 60u);
    EXPECT_TRUE(near_colour(left[10], colour("black"))) << "letterbox bars at the sides";
    EXPECT_TRUE(near_colour(middle[10], colour("red")));
    EXPECT_TRUE(near_colour(left[45], colour("red"))) << "crop fills the frame";

    doc["segments"][0]["fit"] = "crop";  // config-wide crop works too
    doc["segments"][1].erase("fit");
    doc["config"]["fit"] = "crop";
    const auto out2 = dir / "out2.mp4";
    render_ok(write_doc(dir, doc, "k2.json"), out2);
    EXPECT_TRUE(near_colour(region_colours(out2, 0.0, 0.3, 0.15, 0.4)[45], colour("red")));
}

}  // namespace
}  // namespace kompo::test
