// mux: a video (made here with the ffmpeg program, standing in for the joined segments)
// and a soundtrack from render_sound, copied into the final container; checked with
// ffprobe and by decoding with the ffmpeg program.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <optional>
#include <sstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "support/audio_support.hpp"
#include "support/support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;

constexpr int kRate = 48000;
constexpr std::int64_t kOneMs = kRate / 1000;

plan::OutputFormat output_format(const std::string& container, FrameRate fps) {
    plan::OutputFormat format;
    format.container = container;
    format.frame_rate = fps;
    if (container == "webm") {
        format.video_codec = plan::VideoCodec::vp9;
        format.audio_codec = plan::AudioCodec::opus;
    }
    return format;
}

std::string rate_text(FrameRate fps) {
    return std::to_string(fps.num) + "/" + std::to_string(fps.den);
}

// The soundtrack of `frames` frames: the click track (a click every 0.5 s from 0) from
// source time `source_start`, or silence without a source.
fs::path soundtrack(const fs::path& dir, const plan::OutputFormat& format, std::int64_t frames,
                    std::optional<double> source_start) {
    plan::SoundPiece piece;
    piece.format = format;
    piece.total_frames = FrameCount(frames);
    piece.where = "sources[1] (\"click\")";
    if (source_start) {
        test::make_click_track(dir / "click.wav", 120, 8);
        piece.source_path = (dir / "click.wav").string();
        piece.source_start = Seconds(*source_start);
    }
    const fs::path out = dir / ("sound" + intermediate_audio_extension(format));
    render_sound(piece, out.string(), {});
    return out;
}

fs::path joined_video(const fs::path& dir, const plan::OutputFormat& format, int frames,
                      const std::string& extension = "") {
    const bool vp9 = format.video_codec == plan::VideoCodec::vp9;
    const fs::path out =
        dir / ("joined" + (extension.empty() ? (vp9 ? ".webm" : ".mp4") : extension));
    test::make_video(out, rate_text(format.frame_rate), frames, vp9 ? "libvpx-vp9" : "libx264");
    return out;
}

fs::path mux_into(const fs::path& dir, const plan::OutputFormat& format, std::int64_t frames,
                  const fs::path& video, const fs::path& audio, const ExecContext& ctx = {}) {
    plan::MuxPiece piece;
    piece.format = format;
    piece.total_frames = FrameCount(frames);
    const fs::path out = dir / ("final." + format.container);
    mux(piece, video.string(), audio.string(), out.string(), ctx);
    return out;
}

nlohmann::json stream_of(const nlohmann::json& probe, const std::string& type) {
    for (const auto& s : probe["streams"]) {
        if (s["codec_type"] == type) return s;
    }
    throw std::runtime_error("no " + type + " stream");
}

double start_time(const nlohmann::json& stream) {
    return std::stod(stream["start_time"].get<std::string>());
}

// Where the picture starts in the decoded sound (the ffmpeg program decodes the sound from
// the file's start): 0, except for AAC in Matroska with FFmpeg 5.1 (see mux.cpp), where
// the picture and the sound after the priming start 1024 samples in.
std::int64_t picture_start_in_samples(const fs::path& media) {
    return std::llround(start_time(stream_of(test::ffprobe(media), "video")) * kRate);
}

// Clicks of source time 0.5*b meet the picture at output time 0.5*b - start.
void expect_clicks_on_beats(const fs::path& media, double start, double seconds) {
    const std::int64_t picture_start = picture_start_in_samples(media);
    std::vector<std::int64_t> expected;
    for (int beat = 0; beat < 16; ++beat) {
        const std::int64_t at = std::llround((0.5 * beat - start) * kRate) + picture_start;
        if (at >= 0 && at < std::llround(seconds * kRate) - 100) expected.push_back(at);
    }
    const auto onsets = test::click_onsets(test::audio_samples(media));
    ASSERT_EQ(onsets.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(onsets[i]), static_cast<double>(expected[i]), kOneMs)
            << "click " << i;
    }
}

TEST(MediaMux, Mp4IsFaststartH264AacAndTheClicksLandOnTheBeat) {
    auto dir = test::scratch_dir();
    const auto format = output_format("mp4", {30, 1});
    auto out =
        mux_into(dir, format, 90, joined_video(dir, format, 90), soundtrack(dir, format, 90, 1.25));

    const auto boxes = test::top_level_boxes(out);
    const auto moov = std::find(boxes.begin(), boxes.end(), "moov");
    const auto mdat = std::find(boxes.begin(), boxes.end(), "mdat");
    ASSERT_NE(moov, boxes.end());
    ASSERT_NE(mdat, boxes.end());
    EXPECT_LT(moov, mdat) << "faststart: the index comes before the media";

    const auto probe = test::ffprobe(out);
    const auto video = stream_of(probe, "video");
    const auto audio = stream_of(probe, "audio");
    EXPECT_EQ(video["codec_name"], "h264");
    EXPECT_EQ(video["avg_frame_rate"], "30/1");
    EXPECT_EQ(audio["codec_name"], "aac");
    EXPECT_EQ(audio["sample_rate"], "48000");
    EXPECT_EQ(audio["channels"], 2);
    EXPECT_EQ(start_time(audio), 0.0);
    EXPECT_EQ(start_time(video), 0.0);
    EXPECT_EQ(test::count_video_frames(out), 90);
    expect_clicks_on_beats(out, 1.25, 3.0);
}

TEST(MediaMux, WebmOpusClicksLandOnTheBeat) {
    auto dir = test::scratch_dir();
    const auto format = output_format("webm", {30, 1});
    auto out =
        mux_into(dir, format, 90, joined_video(dir, format, 90), soundtrack(dir, format, 90, 1.25));
    const auto probe = test::ffprobe(out);
    EXPECT_EQ(stream_of(probe, "video")["codec_name"], "vp9");
    EXPECT_EQ(stream_of(probe, "audio")["codec_name"], "opus");
    EXPECT_EQ(start_time(stream_of(probe, "video")), 0.0) << "the priming moves no picture";
    EXPECT_EQ(test::count_video_frames(out), 90);
    expect_clicks_on_beats(out, 1.25, 3.0);
}

TEST(MediaMux, MkvAacClicksMeetThePicture) {
    auto dir = test::scratch_dir();
    const auto format = output_format("mkv", {30, 1});
    auto out =
        mux_into(dir, format, 90, joined_video(dir, format, 90), soundtrack(dir, format, 90, 1.25));
    EXPECT_EQ(test::count_video_frames(out), 90);
    expect_clicks_on_beats(out, 1.25, 3.0);
}

struct LengthCase {
    std::string container;
    FrameRate fps;
};

class MediaMuxLength : public ::testing::TestWithParam<LengthCase> {};

TEST_P(MediaMuxLength, AudioLastsAsLongAsTheVideo) {
    auto dir = test::scratch_dir();
    const auto format = output_format(GetParam().container, GetParam().fps);
    const int frames = 100;
    auto out = mux_into(dir, format, frames, joined_video(dir, format, frames),
                        soundtrack(dir, format, frames, std::nullopt));
    EXPECT_EQ(test::count_video_frames(out), frames);
    const double video_samples =
        static_cast<double>(frames) * format.frame_rate.den / format.frame_rate.num * kRate;
    const auto picture_start = picture_start_in_samples(out);
    EXPECT_LE(picture_start, 1024);
    const auto sound_samples = static_cast<std::int64_t>(test::audio_samples(out).size());
    EXPECT_NEAR(static_cast<double>(sound_samples - picture_start), video_samples, 1024);
    const auto probe = test::ffprobe(out);
    EXPECT_EQ(stream_of(probe, "video")["avg_frame_rate"], rate_text(format.frame_rate));
    if (format.container == "mp4" || format.container == "mov") {
        // The edit lists count in a timescale that keeps both durations exact.
        EXPECT_EQ(stream_of(probe, "audio")["duration"], stream_of(probe, "video")["duration"]);
    }
}

INSTANTIATE_TEST_SUITE_P(MediaMux, MediaMuxLength,
                         ::testing::Values(LengthCase{"mp4", {30, 1}},
                                           LengthCase{"mp4", {24000, 1001}},
                                           LengthCase{"mov", {30000, 1001}},
                                           LengthCase{"mkv", {24000, 1001}},
                                           LengthCase{"webm", {30, 1}}),
                         [](const auto& info) {
                             return info.param.container + "_" +
                                    std::to_string(info.param.fps.num) + "_" +
                                    std::to_string(info.param.fps.den);
                         });

// A joined video in Matroska (1 ms ticks) or NUT still gives exact frame times in MP4.
TEST(MediaMux, VideoTimesStayExactWhateverTheIntermediate) {
    auto dir = test::scratch_dir();
    const auto format = output_format("mp4", {24000, 1001});
    for (const std::string extension : {".mkv", ".nut"}) {
        auto out = mux_into(dir, format, 48, joined_video(dir, format, 48, extension),
                            soundtrack(dir, format, 48, std::nullopt));
        auto r = test::run({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=time_base:packet=pts", "-of", "csv=p=0", out.string()});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        std::istringstream lines(r.out);
        std::string line;
        std::vector<long long> pts;
        std::string time_base;
        while (std::getline(lines, line)) {
            if (line.find('/') != std::string::npos)
                time_base = line;
            else if (!line.empty())
                pts.push_back(std::stoll(line));
        }
        EXPECT_EQ(time_base, "1/24000") << extension;
        ASSERT_EQ(pts.size(), 48u) << extension;
        std::sort(pts.begin(), pts.end());
        for (std::size_t i = 0; i < pts.size(); ++i) {
            EXPECT_EQ(pts[i] - pts[0], static_cast<long long>(i) * 1001)
                << extension << " frame " << i;
        }
    }
}

TEST(MediaMux, ErrorsNameWhatIsWrong) {
    auto dir = test::scratch_dir();
    auto format = output_format("mp4", {30, 1});
    const auto video = joined_video(dir, format, 30);
    const auto audio = soundtrack(dir, format, 30, std::nullopt);
    try {
        mux_into(dir, format, 30, video, dir / "nowhere.m4a");
        FAIL() << "no error for a missing soundtrack";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("nowhere.m4a: file not found"), std::string::npos)
            << e.what();
    }
    format.container = "avi";
    try {
        mux_into(dir, format, 30, video, audio);
        FAIL() << "no error for avi";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(e.what()).find("unsupported container \"avi\""), std::string::npos);
    }
    format.container = "webm";
    try {
        mux_into(dir, format, 30, video, audio);
        FAIL() << "no error for h264 in webm";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("webm file cannot hold h264"), std::string::npos)
            << e.what();
    }
}

TEST(MediaMux, CancellationStopsTheMux) {
    auto dir = test::scratch_dir();
    const auto format = output_format("mp4", {30, 1});
    const auto video = joined_video(dir, format, 60);
    const auto audio = soundtrack(dir, format, 60, std::nullopt);
    std::atomic<bool> cancelled{false};
    ExecContext ctx;
    ctx.cancelled = &cancelled;
    ctx.on_progress = [&](std::int64_t done) {
        if (done >= 10) cancelled = true;
    };
    try {
        mux_into(dir, format, 60, video, audio, ctx);
        FAIL() << "not cancelled";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::cancelled);
    }
}

}  // namespace
}  // namespace kompo::media
