// render_sound: the soundtrack trimmed to the render range, checked by decoding the
// intermediate with the ffmpeg program (which honours the container's priming info).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <optional>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "support/audio_support.hpp"
#include "support/support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;
using test::click_onsets;
using test::peak;

constexpr int kRate = 48000;
constexpr std::int64_t kOneMs = kRate / 1000;  // the tolerance for a click's position

plan::SoundPiece sound_piece(std::optional<fs::path> source, double source_start,
                             std::int64_t frames, FrameRate fps = {30, 1},
                             plan::AudioCodec codec = plan::AudioCodec::aac) {
    plan::SoundPiece piece;
    if (source) piece.source_path = source->string();
    piece.where = "sources[3] (\"song\")";
    piece.source_start = Seconds(source_start);
    piece.total_frames = FrameCount(frames);
    piece.format.frame_rate = fps;
    piece.format.audio_codec = codec;
    if (codec == plan::AudioCodec::opus) piece.format.container = "webm";
    return piece;
}

fs::path render(const plan::SoundPiece& piece, const fs::path& dir, const ExecContext& ctx = {}) {
    fs::path out = dir / ("sound" + intermediate_audio_extension(piece.format));
    render_sound(piece, out.string(), ctx);
    return out;
}

std::int64_t samples_of(std::int64_t frames, FrameRate fps) {
    return std::llround(static_cast<double>(frames) * fps.den / fps.num * kRate);
}

// Clicks every 0.5 s (120 BPM) from source time 0, rendered from `source_start` for 3 s:
// the click of source time 0.5*b lands at output sample 24000*b - start*48000.
void expect_clicks_on_beats(const std::vector<float>& samples, double source_start) {
    std::vector<std::int64_t> expected;
    for (int beat = 0; beat < 64; ++beat) {
        const std::int64_t at = std::llround((0.5 * beat - source_start) * kRate);
        if (at >= 0 && at < 3 * kRate - 100) expected.push_back(at);
    }
    const auto onsets = click_onsets(samples);
    ASSERT_EQ(onsets.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_NEAR(static_cast<double>(onsets[i]), static_cast<double>(expected[i]), kOneMs)
            << "click " << i;
    }
}

TEST(MediaSound, IntermediateContainersKeepThePriming) {
    plan::OutputFormat format;
    EXPECT_EQ(intermediate_audio_extension(format), ".m4a");
    format.audio_codec = plan::AudioCodec::opus;
    EXPECT_EQ(intermediate_audio_extension(format), ".webm");
}

TEST(MediaSound, ClicksLandOnTheirBeatsAfterTrimmingTheStart) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 8);
    auto out = render(sound_piece(dir / "click.wav", 1.25, 90), dir);
    auto samples = test::audio_samples(out);
    EXPECT_NEAR(static_cast<double>(samples.size()), samples_of(90, {30, 1}), 1024);
    expect_clicks_on_beats(samples, 1.25);
}

TEST(MediaSound, OpusClicksLandOnTheirBeats) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 8);
    auto out =
        render(sound_piece(dir / "click.wav", 1.25, 90, {30, 1}, plan::AudioCodec::opus), dir);
    auto samples = test::audio_samples(out);
    EXPECT_NEAR(static_cast<double>(samples.size()), samples_of(90, {30, 1}), 1024);
    expect_clicks_on_beats(samples, 1.25);
}

struct SourceFormat {
    std::string name;
    std::string file;                // the source's file name (its extension picks the muxer)
    std::vector<std::string> codec;  // ffmpeg arguments that make it from the click track
    // Seconds the medium itself delays the clicks: raw ADTS AAC keeps no note of the
    // encoder's priming, so every player plays those 1024 samples first, and so do we.
    double inherent_delay = 0;
};

class MediaSoundSource : public ::testing::TestWithParam<SourceFormat> {};

// Any sample rate, layout, codec and container: the clicks still land on their beats.
TEST_P(MediaSoundSource, ClicksLandOnTheirBeats) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 8);
    const fs::path source = dir / GetParam().file;
    std::vector<std::string> args{"-i", (dir / "click.wav").string()};
    args.insert(args.end(), GetParam().codec.begin(), GetParam().codec.end());
    args.push_back(source.string());
    test::ffmpeg(args);
    auto out = render(sound_piece(source, 1.25, 90), dir);
    expect_clicks_on_beats(test::audio_samples(out), 1.25 - GetParam().inherent_delay);
}

INSTANTIATE_TEST_SUITE_P(
    MediaSound, MediaSoundSource,
    ::testing::Values(
        SourceFormat{"mono_44100_flac", "click.flac", {"-ac", "1", "-ar", "44100"}},
        SourceFormat{"mp3", "click.mp3", {"-c:a", "libmp3lame", "-b:a", "192k"}},
        SourceFormat{
            "aac_adts_44100", "click.aac", {"-c:a", "aac", "-ar", "44100"}, 1024.0 / 44100},
        SourceFormat{"vorbis_ogg", "click.ogg", {"-c:a", "libvorbis"}},
        SourceFormat{"opus_ogg", "click.opus", {"-c:a", "libopus"}},
        SourceFormat{
            "s16_wav_mono_22050", "click.wav22", {"-f", "wav", "-ac", "1", "-ar", "22050"}},
        SourceFormat{"m4a", "click.m4a", {"-c:a", "aac"}}),
    [](const auto& info) { return info.param.name; });

TEST(MediaSound, SoundOfAVideoFile) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 8);
    test::ffmpeg({"-f", "lavfi", "-i", "color=c=red:s=160x120:r=25:d=8", "-i",
                  (dir / "click.wav").string(), "-c:v", "libx264", "-preset", "ultrafast", "-c:a",
                  "aac", "-shortest", (dir / "clip.mp4").string()});
    auto out = render(sound_piece(dir / "clip.mp4", 1.25, 90), dir);
    expect_clicks_on_beats(test::audio_samples(out), 1.25);
}

TEST(MediaSound, NegativeStartGivesLeadingSilence) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 8);
    auto out = render(sound_piece(dir / "click.wav", -0.75, 90), dir);
    auto samples = test::audio_samples(out);
    EXPECT_LT(peak(samples, 0, 36000 - 200), 0.01f);  // the first click is at 0.75 s
    expect_clicks_on_beats(samples, -0.75);
}

TEST(MediaSound, SilenceAfterTheSourceEnds) {
    auto dir = test::scratch_dir();
    test::ffmpeg(
        {"-f", "lavfi", "-i", "sine=f=440:r=48000:d=2", "-ac", "2", (dir / "tone.wav").string()});
    // From 0.5 s of a 2 s tone for 3 s: sound for 1.5 s, then silence.
    auto samples = test::audio_samples(render(sound_piece(dir / "tone.wav", 0.5, 90), dir));
    EXPECT_NEAR(static_cast<double>(samples.size()), 3 * kRate, 1024);
    EXPECT_GT(peak(samples, kRate / 10, 3 * kRate / 2 - 500), 0.05f);
    EXPECT_LT(peak(samples, 3 * kRate / 2 + 1500, 3 * kRate), 0.001f);
}

TEST(MediaSound, StartPastTheSourceEndGivesSilence) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 4);
    auto samples = test::audio_samples(render(sound_piece(dir / "click.wav", 6, 30), dir));
    EXPECT_NEAR(static_cast<double>(samples.size()), kRate, 1024);
    EXPECT_LT(peak(samples, 0, kRate), 1e-4f);
}

TEST(MediaSound, WithoutSourceASilentTrackOfTheRenderLength) {
    auto dir = test::scratch_dir();
    for (FrameRate fps : {FrameRate{30, 1}, FrameRate{24000, 1001}}) {
        auto samples = test::audio_samples(render(sound_piece(std::nullopt, 0, 100, fps), dir));
        EXPECT_NEAR(static_cast<double>(samples.size()), samples_of(100, fps), 1024);
        EXPECT_LT(peak(samples, 0, static_cast<std::int64_t>(samples.size())), 1e-4f);
    }
}

TEST(MediaSound, ReportsProgressInVideoFrames) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 4);
    std::vector<std::int64_t> reported;
    ExecContext ctx;
    ctx.on_progress = [&](std::int64_t done) { reported.push_back(done); };
    render(sound_piece(dir / "click.wav", 1, 60), dir, ctx);
    ASSERT_FALSE(reported.empty());
    EXPECT_TRUE(std::is_sorted(reported.begin(), reported.end()));
    EXPECT_EQ(reported.back(), 60);
}

void expect_source_error(const plan::SoundPiece& piece, const fs::path& dir,
                         const std::string& message) {
    const fs::path out = dir / "sound.m4a";
    try {
        render_sound(piece, out.string(), {});
        FAIL() << "no error for " << *piece.source_path;
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::media);
        EXPECT_EQ(std::string(e.what()).rfind(message, 0), 0u) << e.what();
    }
    EXPECT_FALSE(fs::exists(out)) << "no output is made when the source fails";
}

TEST(MediaSound, ErrorsNameTheSourceAndFile) {
    auto dir = test::scratch_dir();
    const std::string where = "sources[3] (\"song\"): ";
    const fs::path missing = dir / "media" / "song.flac";
    expect_source_error(sound_piece(missing, 0, 30), dir,
                        where + missing.string() + ": file not found");

    const fs::path garbage = dir / "garbage.flac";
    std::ofstream(garbage) << "this is not a song, just some words in a file\n";
    expect_source_error(sound_piece(garbage, 0, 30), dir,
                        where + garbage.string() + ": not a decodable medium (");

    const fs::path silent_film = dir / "film.mp4";
    test::make_colour_clip(silent_film, "red", 1, 160, 120);
    expect_source_error(sound_piece(silent_film, 0, 30), dir,
                        where + silent_film.string() + ": has no audio stream");
}

TEST(MediaSound, CancellationStopsTheRender) {
    auto dir = test::scratch_dir();
    test::make_click_track(dir / "click.wav", 120, 4);
    std::atomic<bool> cancelled{false};
    ExecContext ctx;
    ctx.cancelled = &cancelled;
    // Cancelled midway, from the progress callback, like another thread would.
    ctx.on_progress = [&](std::int64_t done) {
        if (done >= 10) cancelled = true;
    };
    try {
        render(sound_piece(dir / "click.wav", 0, 90), dir, ctx);
        FAIL() << "not cancelled";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::cancelled);
    }
}

}  // namespace
}  // namespace kompo::media
