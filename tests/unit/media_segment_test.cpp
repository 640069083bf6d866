// render_segment: frame counts, which source frame each output frame shows, pictures
// (still, black, letterbox, crop, rotation), cancellation and stream copy. Outputs are
// decoded by the ffmpeg program, not by our own code.
#include <unistd.h>
#include <atomic>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "media/picture_geometry.hpp"
#include "media/probe.hpp"
#include "support/support.hpp"
#include "support/video_support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;
using test::colour;
using test::near_colour;
using test::Rgb;
using test::scratch_dir;

fs::path render(const plan::SegmentPiece& piece, const fs::path& dir, const ExecContext& ctx = {}) {
    fs::create_directories(dir);
    const fs::path out = dir / ("out" + intermediate_video_extension(piece.format));
    render_segment(piece, out.string(), ctx);
    return out;
}

Error render_error(const plan::SegmentPiece& piece, const fs::path& dir,
                   const ExecContext& ctx = {}) {
    try {
        render(piece, dir, ctx);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "rendering " << piece.where << " did not fail";
    return Error::internal("no error");
}

std::vector<int> numbers_from(int first, int count, int step = 1) {
    std::vector<int> numbers;
    for (int i = 0; i < count; ++i) numbers.push_back(first + i * step);
    return numbers;
}

void expect_all_near(const std::vector<Rgb>& colours, const Rgb& expected,
                     const std::string& what) {
    ASSERT_FALSE(colours.empty()) << what;
    for (std::size_t i = 0; i < colours.size(); ++i) {
        EXPECT_TRUE(near_colour(colours[i], expected))
            << what << ", frame " << i << ": " << colours[i][0] << "," << colours[i][1] << ","
            << colours[i][2];
    }
}

// A numbered 30 fps source shared by the frame-choice tests (generated once).
const fs::path& numbered_source() {
    static const fs::path path = [] {
        // Shared by test processes running in parallel: each writes its own copy and
        // renames it into place, so a reader never sees a file being written.
        const fs::path p = fs::path(KOMPO_TEST_OUTPUT) / "MediaSegmentShared" / "numbered.mp4";
        fs::create_directories(p.parent_path());
        const fs::path mine = p.parent_path() / ("numbered." + std::to_string(getpid()) + ".mp4");
        test::make_numbered_clip(mine, 4.0, 320, 180, "30");
        fs::rename(mine, p);
        return p;
    }();
    return path;
}

// --- frame counts and stream properties ------------------------------------------------

struct RateCase {
    FrameRate rate;
    const char* text;
};

class MediaSegmentRates : public ::testing::TestWithParam<RateCase> {};

TEST_P(MediaSegmentRates, WritesExactlyFrameCountAtConstantRate) {
    const auto dir = scratch_dir();
    const auto& [rate, text] = GetParam();
    test::make_colour_clip(dir / "src.mp4", "red", 3.0, 320, 180, text);
    const auto out = render(
        test::footage_piece(dir / "src.mp4", 0.5, 37, test::small_format(320, 180, rate)), dir);

    EXPECT_EQ(test::count_video_frames(out), 37);
    const auto stream = test::ffprobe(out)["streams"][0];
    EXPECT_EQ(stream["codec_name"], "h264");
    EXPECT_EQ(stream["profile"], "High");
    EXPECT_EQ(stream["pix_fmt"], "yuv420p");
    EXPECT_EQ(stream["width"], 320);
    EXPECT_EQ(stream["height"], 180);
    EXPECT_EQ(stream["avg_frame_rate"], text);
    EXPECT_EQ(stream["r_frame_rate"], stream["avg_frame_rate"]);
    EXPECT_EQ(stream.value("sample_aspect_ratio", "1:1"), "1:1");
    // Frame i is displayed at exactly i / fps, starting at 0.
    const auto packets = test::video_packets(out);
    ASSERT_EQ(packets.size(), 37u);
    std::vector<std::int64_t> pts;
    for (const auto& p : packets) pts.push_back(p.pts);
    std::sort(pts.begin(), pts.end());
    const std::int64_t step = pts[1] - pts[0];
    for (std::size_t i = 0; i < pts.size(); ++i)
        EXPECT_EQ(pts[i], static_cast<std::int64_t>(i) * step);
    EXPECT_TRUE(packets.front().key);
    expect_all_near(test::frame_colours(out), colour("red"), "picture");
}

// The "MediaSegment" prefix keeps the names under --gtest_filter='Media*'.
INSTANTIATE_TEST_SUITE_P(MediaSegment, MediaSegmentRates,
                         ::testing::Values(RateCase{{30, 1}, "30/1"}, RateCase{{25, 1}, "25/1"},
                                           RateCase{{24000, 1001}, "24000/1001"}));

// --- which source frame each output frame shows ----------------------------------------

TEST(MediaSegment, InSyncAtTheSameRateShowsConsecutiveFrames) {
    const auto dir = scratch_dir();
    const auto out = render(test::footage_piece(numbered_source(), 2.0, 20), dir);
    EXPECT_EQ(test::read_frame_numbers(out), numbers_from(60, 20));
}

TEST(MediaSegment, AtALowerRateShowsTheLatestFrameDue) {
    const auto dir = scratch_dir();
    const auto format = test::small_format(320, 180, {25, 1});
    const auto out = render(test::footage_piece(numbered_source(), 2.0, 25, format), dir);
    std::vector<int> expected;  // output frame i is due at 2.0 + i/25 s: source frame floor(30 t)
    for (int i = 0; i < 25; ++i) expected.push_back(60 + i * 6 / 5);
    EXPECT_EQ(test::read_frame_numbers(out), expected);
}

TEST(MediaSegment, AtNtscRateFromThirtyFrames) {
    const auto dir = scratch_dir();
    const auto format = test::small_format(320, 180, {24000, 1001});
    const auto out = render(test::footage_piece(numbered_source(), 1.0, 24, format), dir);
    std::vector<int> expected;  // floor(30 * (1 + i * 1001 / 24000))
    for (int i = 0; i < 24; ++i) expected.push_back(30 + static_cast<int>(i * 1001 * 30 / 24000));
    EXPECT_EQ(test::read_frame_numbers(out), expected);
}

TEST(MediaSegment, DoubleSpeedShowsEverySecondFrame) {
    const auto dir = scratch_dir();
    auto piece = test::footage_piece(numbered_source(), 2.0, 20);
    piece.speed = 2.0;
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)), numbers_from(60, 20, 2));
}

// 100x: each output frame is 3.3 s further on; the decoder seeks there instead of
// decoding the 100 frames in between, then holds the last frame past the end.
TEST(MediaSegment, VeryFastRetimingSeeksAhead) {
    const auto dir = scratch_dir();
    auto piece = test::footage_piece(numbered_source(), 0.0, 4);
    piece.speed = 100.0;
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)), (std::vector<int>{0, 100, 119, 119}));
}

TEST(MediaSegment, HalfSpeedShowsEachFrameTwice) {
    const auto dir = scratch_dir();
    auto piece = test::footage_piece(numbered_source(), 1.0, 10);
    piece.speed = 0.5;
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)),
              (std::vector<int>{30, 30, 31, 31, 32, 32, 33, 33, 34, 34}));
}

TEST(MediaSegment, HoldsTheLastFrameBeforeSourceEnd) {
    const auto dir = scratch_dir();
    auto piece = test::footage_piece(numbered_source(), 2.0, 30);
    piece.source_end = Seconds(2.5);  // frame 75 is at 2.5 s: past the window
    auto expected = numbers_from(60, 15);
    expected.resize(30, 74);
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)), expected);
}

TEST(MediaSegment, HoldsTheMediumsLastFramePastItsEnd) {
    const auto dir = scratch_dir();
    auto piece = test::footage_piece(numbered_source(), 3.5, 30);  // the source has 120 frames
    auto expected = numbers_from(105, 15);
    expected.resize(30, 119);
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)), expected);
}

TEST(MediaSegment, WindowPastTheEndHasNoPicture) {
    const auto dir = scratch_dir();
    const Error e = render_error(test::footage_piece(numbered_source(), 12.5, 10), dir);
    EXPECT_EQ(e.kind(), ErrorKind::media);
    EXPECT_EQ(std::string(e.what()), "segments[2] (\"Intro\"): " + numbered_source().string() +
                                         " has no picture at 12.5 s (it is 4.0 s long)");
    // The encoder opens while the source does: the file it began is removed.
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

TEST(MediaSegment, MissingSourceIsNamed) {
    const auto dir = scratch_dir();
    const Error e = render_error(test::footage_piece(dir / "gone.mp4", 0, 10), dir);
    EXPECT_EQ(e.kind(), ErrorKind::media);
    EXPECT_EQ(std::string(e.what()), (dir / "gone.mp4").string() + ": file not found");
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

// A numbered source with B-frames, three between P-frames (b-adapt=0; lossless -qp 0
// would have none), the middle one referred to (b-pyramid), the others by no frame; a
// keyframe every second.
fs::path bframes_source(const fs::path& dir) {
    const auto source = dir / "bframes.mp4";
    const std::string pattern = "geq=lum='255*mod(floor(N/pow(2,floor(X*16/W))),2)':cb=128:cr=128";
    test::ffmpeg({"-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=4,format=yuv420p," + pattern,
                  "-c:v", "libx264", "-preset", "medium", "-bf", "3", "-x264-params", "b-adapt=0",
                  "-crf", "12", "-g", "30", source.string()});
    return source;
}

// Sources with B-frames: mp4 seeks by decode time, the first frame after a seek may be
// displayed after the wanted time; the frame choice must not notice.
TEST(MediaSegment, SeeksAccuratelyInSourcesWithBFrames) {
    const auto dir = scratch_dir();
    const auto source = bframes_source(dir);
    for (double start : {2.0, 1.2, 0.9667}) {
        const auto out = render(test::footage_piece(source, start, 12), dir);
        const int first = static_cast<int>(start * 30 + 0.01);
        EXPECT_EQ(test::read_frame_numbers(out), numbers_from(first, 12)) << "from " << start;
    }
}

// The decoder skips the frames no other frame refers to while they are not due (from the
// keyframe to the window's start, and frames passed over when faster than real time):
// every frame that is due must still be shown.
TEST(MediaSegment, FasterThanRealTimeInSourcesWithBFramesShowsEveryFrameDue) {
    const auto dir = scratch_dir();
    const auto source = bframes_source(dir);
    auto piece = test::footage_piece(source, 1.2, 12);  // frame 36; the keyframe is 30
    piece.speed = 1.5;
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)),
              (std::vector<int>{36, 37, 39, 40, 42, 43, 45, 46, 48, 49, 51, 52}));
    piece.speed = 2.0;
    EXPECT_EQ(test::read_frame_numbers(render(piece, dir)), numbers_from(36, 12, 2));
}

// A segment decodes beside its encoder only with a core to spare; on the encoder's own
// thread it must show the same frames and give the same bytes (the cache keys do not know
// which way a piece was rendered).
TEST(MediaSegment, DecodingBesideTheEncoderOrNotGivesTheSameBytes) {
    const auto dir = scratch_dir();
    const auto source = bframes_source(dir);
    auto piece = test::footage_piece(source, 1.2, 24);
    piece.speed = 1.5;
    ExecContext inline_ctx;
    inline_ctx.decode_beside = false;
    const auto beside = render(piece, dir / "beside");
    const auto alone = render(piece, dir / "inline", inline_ctx);
    EXPECT_EQ(test::read_frame_numbers(alone), test::read_frame_numbers(beside));
    EXPECT_EQ(test::read_frame_numbers(alone).front(), 36);
    EXPECT_EQ(test::file_bytes(alone), test::file_bytes(beside));

    const Error e = render_error(test::footage_piece(dir / "gone.mp4", 0, 10), dir, inline_ctx);
    EXPECT_EQ(std::string(e.what()), (dir / "gone.mp4").string() + ": file not found");
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

// --- pictures ----------------------------------------------------------------------------

TEST(MediaSegment, StillImageIsRepeated) {
    const auto dir = scratch_dir();
    test::make_colour_image(dir / "still.png", "yellow", 320, 180);
    const auto out = render(test::still_piece(dir / "still.png", 12), dir);
    EXPECT_EQ(test::count_video_frames(out), 12);
    expect_all_near(test::frame_colours(out), colour("yellow"), "still");
}

TEST(MediaSegment, RgbaPngAndJpegStillsAreConverted) {
    const auto dir = scratch_dir();
    test::ffmpeg({"-f", "lavfi", "-i", "color=c=red:s=160x120", "-frames:v", "1", "-pix_fmt",
                  "rgba", (dir / "rgba.png").string()});
    test::make_colour_image(dir / "blue.jpg", "blue", 160, 120);
    const auto png = render(test::still_piece(dir / "rgba.png", 5), dir / "png");
    expect_all_near(test::region_colours(png, 0.25, 0.1, 0.5, 0.8), colour("red"), "png centre");
    const auto jpeg = render(test::still_piece(dir / "blue.jpg", 5), dir / "jpg");
    expect_all_near(test::region_colours(jpeg, 0.25, 0.1, 0.5, 0.8), colour("blue"), "jpeg centre");
}

TEST(MediaSegment, BlackGapIsBlack) {
    const auto dir = scratch_dir();
    const auto out = render(test::black_piece(17), dir);
    EXPECT_EQ(test::count_video_frames(out), 17);
    expect_all_near(test::frame_colours(out), colour("black"), "gap");
}

TEST(MediaSegment, LetterboxPillarboxesANarrowerSource) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "4x3.mp4", "lime", 1.0, 240, 180);  // 4:3 into 16:9
    const auto out = render(test::footage_piece(dir / "4x3.mp4", 0, 5), dir);
    expect_all_near(test::region_colours(out, 0, 0, 0.1, 1), colour("black"), "left bar");
    expect_all_near(test::region_colours(out, 0.9, 0, 0.1, 1), colour("black"), "right bar");
    expect_all_near(test::region_colours(out, 0.15, 0, 0.7, 1), colour("lime"), "picture");
}

TEST(MediaSegment, LetterboxPutsBarsAboveAndBelowAWiderSource) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "16x9.mp4", "lime", 1.0, 320, 180);  // 16:9 into 4:3
    const auto out =
        render(test::footage_piece(dir / "16x9.mp4", 0, 5, test::small_format(240, 180)), dir);
    expect_all_near(test::region_colours(out, 0, 0, 1, 0.1), colour("black"), "top bar");
    expect_all_near(test::region_colours(out, 0, 0.9, 1, 0.1), colour("black"), "bottom bar");
    expect_all_near(test::region_colours(out, 0, 0.15, 1, 0.7), colour("lime"), "picture");
}

TEST(MediaSegment, CropFillsTheFrameWithTheCentre) {
    const auto dir = scratch_dir();
    // 4:3 with red bands in its top and bottom eighths: a 16:9 centre crop cuts them off.
    test::make_lavfi_clip(dir / "banded.mp4",
                          "color=c=lime:s=240x180:r=30:d=1,"
                          "drawbox=x=0:y=0:w=iw:h=20:c=red:t=fill,"
                          "drawbox=x=0:y=160:w=iw:h=20:c=red:t=fill");
    auto piece = test::footage_piece(dir / "banded.mp4", 0, 5);
    piece.fit = plan::Fit::crop;
    const auto out = render(piece, dir);
    expect_all_near(test::region_colours(out, 0, 0, 1, 0.08), colour("lime"), "top edge");
    expect_all_near(test::region_colours(out, 0, 0.92, 1, 0.08), colour("lime"), "bottom edge");
    expect_all_near(test::region_colours(out, 0, 0, 0.05, 1), colour("lime"), "left edge");
    expect_all_near(test::region_colours(out, 0.95, 0, 0.05, 1), colour("lime"), "right edge");
}

TEST(MediaSegment, ConvertsTenBitAndFullChromaSources) {
    const auto dir = scratch_dir();
    test::make_lavfi_clip(dir / "444.mp4", "color=c=blue:s=320x180:r=30:d=1",
                          {"-pix_fmt", "yuv444p"});
    test::make_lavfi_clip(dir / "10bit.mp4", "color=c=blue:s=320x180:r=30:d=1",
                          {"-pix_fmt", "yuv420p10le"});
    for (const auto* name : {"444.mp4", "10bit.mp4"}) {
        const auto out =
            render(test::footage_piece(dir / name, 0, 4), dir / (std::string(name) + ".d"));
        EXPECT_EQ(test::count_video_frames(out), 4) << name;
        expect_all_near(test::frame_colours(out), colour("blue"), name);
        EXPECT_EQ(test::ffprobe(out)["streams"][0]["pix_fmt"], "yuv420p") << name;
    }
}

// A phone clip: coded 320x180 (top half red, bottom half blue), tagged to be turned a
// quarter clockwise, so that upright it is 180x320 with blue on the left, red on the right.
TEST(MediaSegment, RotatesUpright) {
    const auto dir = scratch_dir();
    test::make_two_colour_clip(dir / "coded.mp4", "red", "blue", 320, 180);
    test::add_rotate_tag(dir / "coded.mp4", dir / "phone.mp4", 270);
    const MediaInfo info = probe((dir / "phone.mp4").string());
    ASSERT_EQ(info.video->rotation, 90);

    // The ffmpeg program's autorotation is the reference for "upright".
    test::ffmpeg(
        {"-i", (dir / "phone.mp4").string(), "-frames:v", "1", (dir / "ref.mp4").string()});
    ASSERT_TRUE(
        near_colour(test::region_colours(dir / "ref.mp4", 0, 0, 0.4, 1)[0], colour("blue")));

    auto piece = test::footage_piece(dir / "phone.mp4", 0, 3, test::small_format(180, 320));
    piece.rotation = info.video->rotation;
    const auto portrait = render(piece, dir / "portrait");
    expect_all_near(test::region_colours(portrait, 0, 0, 0.45, 1), colour("blue"), "left half");
    expect_all_near(test::region_colours(portrait, 0.55, 0, 0.45, 1), colour("red"), "right half");

    piece.format = test::small_format(320, 180);  // upright 9:16 letterboxed into 16:9
    const auto boxed = render(piece, dir / "boxed");
    expect_all_near(test::region_colours(boxed, 0, 0, 0.3, 1), colour("black"), "left bar");
    expect_all_near(test::region_colours(boxed, 0.36, 0, 0.12, 1), colour("blue"),
                    "picture's left");
    expect_all_near(test::region_colours(boxed, 0.52, 0, 0.12, 1), colour("red"),
                    "picture's right");
    expect_all_near(test::region_colours(boxed, 0.7, 0, 0.3, 1), colour("black"), "right bar");
}

TEST(MediaSegment, RotatesHalfAndThreeQuarterTurns) {
    const auto dir = scratch_dir();
    test::make_two_colour_clip(dir / "coded.mp4", "red", "blue", 320, 180);
    auto piece = test::footage_piece(dir / "coded.mp4", 0, 2);
    piece.rotation = 180;  // upside down: blue on top
    const auto turned = render(piece, dir / "180");
    expect_all_near(test::region_colours(turned, 0, 0, 1, 0.45), colour("blue"), "top");
    expect_all_near(test::region_colours(turned, 0, 0.55, 1, 0.45), colour("red"), "bottom");

    piece.rotation = 270;
    piece.format = test::small_format(180, 320);
    const auto counter = render(piece, dir / "270");
    expect_all_near(test::region_colours(counter, 0, 0, 0.45, 1), colour("red"), "left");
    expect_all_near(test::region_colours(counter, 0.55, 0, 0.45, 1), colour("blue"), "right");
}

TEST(MediaSegmentGeometry, LetterboxAndCropInWholeEvenPixels) {
    using plan::Fit;
    const auto box = picture_geometry({240, 180, 1, 1, 0}, 320, 180, Fit::letterbox);
    EXPECT_EQ(box.scaled_width, 240);
    EXPECT_EQ(box.scaled_height, 180);
    EXPECT_EQ(box.pad_x, 40);
    EXPECT_EQ(box.pad_y, 0);
    EXPECT_FALSE(box.crops({240, 180, 1, 1, 0}));

    const auto crop = picture_geometry({240, 180, 1, 1, 0}, 320, 180, Fit::crop);
    EXPECT_EQ(crop.crop_width, 240);
    EXPECT_EQ(crop.crop_height, 136);  // 240 * 9/16 = 135, made even
    EXPECT_EQ(crop.crop_y, 22);
    EXPECT_EQ(crop.scaled_width, 320);
    EXPECT_FALSE(crop.pads(320, 180));

    // A quarter turn: 1920x1080 coded is 1080x1920 upright; into 1280x720 it is 406x720.
    const auto phone = picture_geometry({1920, 1080, 1, 1, 90}, 1280, 720, Fit::letterbox);
    EXPECT_EQ(phone.upright_width(), 406);
    EXPECT_EQ(phone.upright_height(), 720);
    EXPECT_EQ(phone.scaled_width, 720);  // scaled before turning
    EXPECT_EQ(phone.pad_x, 436);
    const auto phone_crop = picture_geometry({1920, 1080, 1, 1, 90}, 1280, 720, Fit::crop);
    EXPECT_EQ(phone_crop.crop_width, 608);  // upright 9:16, keep 16:9 of it: 1920 * 0.316
    EXPECT_EQ(phone_crop.crop_height, 1080);

    // Anamorphic 720x576 at 16:11 pixels is 1047x576 seen: 16:9-ish fills 1280x720 nearly.
    const auto dv = picture_geometry({720, 576, 16, 11, 0}, 1280, 720, Fit::letterbox);
    EXPECT_EQ(dv.scaled_height, 704);
    EXPECT_EQ(dv.scaled_width, 1280);
}

// --- cancellation and progress -------------------------------------------------------------

TEST(MediaSegment, CancellationStopsWithCancelledError) {
    const auto dir = scratch_dir();
    std::atomic<bool> cancelled{false};
    ExecContext ctx;
    ctx.cancelled = &cancelled;
    std::int64_t last = 0;
    ctx.on_progress = [&](std::int64_t done) {
        last = done;
        cancelled = true;  // stop after the first report
    };
    const Error e = render_error(test::footage_piece(numbered_source(), 0, 100), dir, ctx);
    EXPECT_EQ(e.kind(), ErrorKind::cancelled);
    EXPECT_NE(std::string(e.what()).find("segments[2]"), std::string::npos) << e.what();
    EXPECT_LT(last, 100);
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

TEST(MediaSegment, ReportsProgressUpToFrameCount) {
    const auto dir = scratch_dir();
    ExecContext ctx;
    std::vector<std::int64_t> reports;
    ctx.on_progress = [&](std::int64_t done) { reports.push_back(done); };
    ctx.threads = 2;
    render(test::footage_piece(numbered_source(), 0, 21), dir, ctx);
    ASSERT_GE(reports.size(), 2u);
    EXPECT_TRUE(std::is_sorted(reports.begin(), reports.end()));
    EXPECT_EQ(reports.back(), 21);
}

// --- VP9 and stream copy -------------------------------------------------------------------

TEST(MediaSegment, EncodesVp9ForWebm) {
    const auto dir = scratch_dir();
    const auto format = test::small_vp9_format();
    const auto out = render(test::footage_piece(numbered_source(), 1.0, 15, format), dir);
    EXPECT_EQ(test::ffprobe(out)["streams"][0]["codec_name"], "vp9");
    EXPECT_EQ(test::read_frame_numbers(out), numbers_from(30, 15));
}

TEST(MediaSegment, StreamCopyTakesTheSourcesPackets) {
    const auto dir = scratch_dir();
    // A source encoded with the output's own settings (keyframes every 2 s = 60 frames).
    const auto source = render(test::footage_piece(numbered_source(), 0, 120), dir / "src");
    auto piece = test::footage_piece(source, 2.0, 60);
    piece.stream_copy = true;
    const auto out = render(piece, dir);
    EXPECT_EQ(test::read_frame_numbers(out), numbers_from(60, 60));
    EXPECT_EQ(probe(out.string()).video->extradata_hash,
              probe(source.string()).video->extradata_hash);
    // The packets are the source's: same sizes, nothing re-encoded.
    const auto sizes = [](const fs::path& p) {
        auto r = test::run({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "packet=size", "-of", "csv=p=0", p.string()});
        return r.out;
    };
    const std::string all = sizes(source);
    EXPECT_NE(all.find(sizes(out)), std::string::npos);
}

TEST(MediaSegment, StreamCopyOfAWindowPastTheSourceFails) {
    const auto dir = scratch_dir();
    const auto source = render(test::footage_piece(numbered_source(), 0, 120), dir / "src");
    auto piece = test::footage_piece(source, 2.0, 70);  // the source has 60 frames left
    piece.stream_copy = true;
    EXPECT_EQ(render_error(piece, dir).kind(), ErrorKind::internal);
}

}  // namespace
}  // namespace kompo::media
