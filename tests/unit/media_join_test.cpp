// join_segments: segment files one after another, not re-encoded, exactly the planned
// number of frames, timestamps counting frames from 0.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "support/support.hpp"
#include "support/video_support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;
using test::colour;
using test::near_colour;
using test::scratch_dir;

struct Part {
    const char* colour;
    std::int64_t frames;
};

// Renders one segment per part (each from a clip of its colour) and returns their paths.
std::vector<std::string> render_parts(const fs::path& dir, const std::vector<Part>& parts,
                                      const plan::OutputFormat& format, int threads = 1) {
    fs::create_directories(dir);
    std::vector<std::string> paths;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto clip = dir / (std::string(parts[i].colour) + ".mp4");
        if (!fs::exists(clip)) test::make_colour_clip(clip, parts[i].colour, 2.0, 320, 180);
        const auto out =
            dir / ("piece-" + std::to_string(i + 1) + intermediate_video_extension(format));
        ExecContext ctx;
        ctx.threads = threads;
        render_segment(test::footage_piece(clip, 0.2, parts[i].frames, format), out.string(), ctx);
        paths.push_back(out.string());
    }
    return paths;
}

fs::path join(const std::vector<std::string>& paths, std::int64_t total,
              const plan::OutputFormat& format, const fs::path& dir) {
    const auto out = dir / ("joined" + intermediate_video_extension(format));
    join_segments(plan::JoinPiece{FrameCount(total), format}, paths, out.string(), {});
    return out;
}

Error join_error(const std::vector<std::string>& paths, std::int64_t total,
                 const plan::OutputFormat& format, const fs::path& dir) {
    try {
        join(paths, total, format, dir);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "the join did not fail";
    return Error::internal("no error");
}

void expect_colour_runs(const fs::path& media, const std::vector<Part>& parts) {
    const auto colours = test::frame_colours(media);
    std::size_t frame = 0;
    for (const auto& part : parts) {
        for (std::int64_t i = 0; i < part.frames; ++i, ++frame) {
            ASSERT_LT(frame, colours.size());
            EXPECT_TRUE(near_colour(colours[frame], colour(part.colour)))
                << "frame " << frame << " should be " << part.colour;
        }
    }
    EXPECT_EQ(frame, colours.size());
}

// Presentation timestamps 0, 1, 2, ... frames; decode order strictly increasing.
void expect_frame_timing(const fs::path& media, std::int64_t frames) {
    const auto packets = test::video_packets(media);
    ASSERT_EQ(static_cast<std::int64_t>(packets.size()), frames);
    std::vector<std::int64_t> pts;
    for (std::size_t i = 0; i < packets.size(); ++i) {
        pts.push_back(packets[i].pts);
        if (i > 0) {
            EXPECT_GT(packets[i].dts, packets[i - 1].dts) << "packet " << i;
        }
    }
    std::sort(pts.begin(), pts.end());
    const std::int64_t step = pts[1] - pts[0];
    for (std::size_t i = 0; i < pts.size(); ++i) {
        EXPECT_EQ(pts[i], static_cast<std::int64_t>(i) * step) << "frame " << i;
    }
}

TEST(MediaJoin, ThreeSegmentsInOrder) {
    const auto dir = scratch_dir();
    const std::vector<Part> parts{{"red", 10}, {"lime", 7}, {"blue", 13}};
    const auto format = test::small_format();
    const auto out = join(render_parts(dir, parts, format), 30, format, dir);

    EXPECT_EQ(test::count_video_frames(out), 30);
    expect_colour_runs(out, parts);
    expect_frame_timing(out, 30);
    EXPECT_NEAR(std::stod(test::ffprobe(out)["streams"][0]["duration"].get<std::string>()), 1.0,
                1e-6);
}

// Short segments (a one-frame gap) still keep decode order increasing across the joins.
TEST(MediaJoin, OneAndTwoFrameSegments) {
    const auto dir = scratch_dir();
    const std::vector<Part> parts{{"red", 1}, {"lime", 2}, {"blue", 1}, {"red", 3}, {"yellow", 1}};
    const auto format = test::small_format();
    const auto out = join(render_parts(dir, parts, format), 8, format, dir);
    expect_colour_runs(out, parts);
    expect_frame_timing(out, 8);
}

TEST(MediaJoin, KeepsNtscTimingExact) {
    const auto dir = scratch_dir();
    const std::vector<Part> parts{{"red", 24}, {"blue", 24}};
    const auto format = test::small_format(320, 180, {24000, 1001});
    const auto out = join(render_parts(dir, parts, format), 48, format, dir);
    expect_colour_runs(out, parts);
    expect_frame_timing(out, 48);
    const auto stream = test::ffprobe(out)["streams"][0];
    EXPECT_EQ(stream["avg_frame_rate"], "24000/1001");
    EXPECT_NEAR(std::stod(stream["duration"].get<std::string>()), 48 * 1001 / 24000.0, 1e-6);
}

TEST(MediaJoin, JoinsVp9Segments) {
    const auto dir = scratch_dir();
    const auto format = test::small_vp9_format();
    const std::vector<Part> parts{{"blue", 5}, {"yellow", 9}};
    const auto out = join(render_parts(dir, parts, format), 14, format, dir);
    EXPECT_EQ(test::ffprobe(out)["streams"][0]["codec_name"], "vp9");
    expect_colour_runs(out, parts);
    expect_frame_timing(out, 14);
}

// Only the first segment is probed in full; the joined stream still declares what the
// segments' decoders need (H.264's reorder delay, VP9's profile and pixel format), as a
// segment rendered alone does, and lasts exactly its frames.
TEST(MediaJoin, TheJoinedStreamDescribesItselfLikeASegment) {
    const auto dir = scratch_dir();
    for (const auto& format : {test::small_format(), test::small_vp9_format()}) {
        const auto parts_dir = dir / (format.video_codec == plan::VideoCodec::vp9 ? "vp9" : "h264");
        const auto paths = render_parts(parts_dir, {{"red", 9}, {"blue", 8}, {"lime", 7}}, format);
        const auto segment = test::ffprobe(paths.back())["streams"][0];
        const auto joined = test::ffprobe(join(paths, 24, format, parts_dir))["streams"][0];
        for (const char* field : {"codec_name", "profile", "pix_fmt", "has_b_frames", "level"}) {
            EXPECT_EQ(joined[field], segment[field]) << field;
        }
        EXPECT_EQ(joined["nb_frames"], "24");
        EXPECT_NEAR(std::stod(joined["duration"].get<std::string>()), 24 / 30.0, 1e-6);
    }
}

TEST(MediaJoin, SegmentsEncodedWithDifferentThreadCountsJoin) {
    const auto dir = scratch_dir();
    const auto format = test::small_format();
    auto paths = render_parts(dir / "one", {{"red", 6}}, format, 1);
    const auto more = render_parts(dir / "four", {{"lime", 6}}, format, 4);
    paths.push_back(more.front());
    expect_colour_runs(join(paths, 12, format, dir), {{"red", 6}, {"lime", 6}});
}

TEST(MediaJoin, WrongTotalIsAnInternalError) {
    const auto dir = scratch_dir();
    const auto format = test::small_format();
    const Error e =
        join_error(render_parts(dir, {{"red", 4}, {"blue", 5}}, format), 10, format, dir);
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    EXPECT_NE(std::string(e.what()).find("9 frames"), std::string::npos) << e.what();
}

TEST(MediaJoin, DifferentStreamParametersNameTheFile) {
    const auto dir = scratch_dir();
    auto paths = render_parts(dir / "small", {{"red", 4}}, test::small_format());
    const auto large = render_parts(dir / "large", {{"blue", 4}}, test::small_format(640, 360));
    paths.push_back(large.front());
    const Error e = join_error(paths, 8, test::small_format(), dir);
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(large.front() + ": ", 0), 0u) << message;
    EXPECT_NE(message.find("640x360"), std::string::npos) << message;
}

}  // namespace
}  // namespace kompo::media
