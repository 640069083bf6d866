// The soundtrack meets the picture on the beat: clicks land on their frames.
#include <cmath>
#include <fstream>

#include "e2e_support.hpp"

namespace kompo::test {
namespace {

// First sample at or after `from` whose magnitude passes the threshold.
long onset_after(const std::vector<float>& s, long from) {
    for (long i = std::max(0L, from); i < static_cast<long>(s.size()); ++i)
        if (std::fabs(s[static_cast<size_t>(i)]) > 0.2f) return i;
    return -1;
}

void expect_clicks_on_beats(const fs::path& out, int beats, double bpm, double fps) {
    const auto samples = audio_samples(out);
    const long video_samples = std::lround(count_video_frames(out) / fps * 48000);
    EXPECT_LE(std::labs(static_cast<long>(samples.size()) - video_samples), 1024)
        << "audio length " << samples.size() << " vs video " << video_samples << " samples";
    for (int b = 0; b < beats; ++b) {
        const double frame_time = std::lround(b * 60.0 / bpm * fps) / fps;
        const long expected = std::lround(frame_time * 48000);
        const long onset = onset_after(samples, expected - 480);  // search from 10 ms before
        EXPECT_LE(std::labs(onset - expected), 48)
            << "beat " << b << ": click at sample " << onset << ", frame time at " << expected;
    }
}

Json click_doc(const fs::path& dir, double offset, const std::string& ext) {
    make_colour_clip(dir / "red.mp4", "red", 20, 96, 54);
    make_click_track(dir / "clicks.wav", 120, 20);
    Json doc = komposition_doc(120, 30);
    doc["config"]["extension"] = ext;
    add_source(doc, "red", "red.mp4", "video");
    add_source(doc, "song", "clicks.wav", "audio", offset);
    add_segment(doc, "a", "red", 0, 16);
    return doc;
}

TEST(Sound, ClicksLandOnTheirBeatFramesInMp4) {
    const auto dir = scratch_dir();
    // The song's first beat is 0.5 s in: startingOffset puts it on beat 0.
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, click_doc(dir, 0.5, "mp4")), out);
    auto probe = ffprobe(out);
    const auto& audio = probe["streams"][1];
    EXPECT_EQ(audio["codec_name"], "aac");
    EXPECT_EQ(audio["sample_rate"], "48000");
    EXPECT_EQ(audio["channels"], 2);
    expect_clicks_on_beats(out, 16, 120, 30);
}

TEST(Sound, ClicksLandOnTheirBeatFramesInWebm) {
    const auto dir = scratch_dir();
    const auto out = dir / "out.webm";
    render_ok(write_doc(dir, click_doc(dir, 0.5, "webm")), out);
    auto probe = ffprobe(out);
    EXPECT_EQ(probe["streams"][0]["codec_name"], "vp9");
    EXPECT_EQ(probe["streams"][1]["codec_name"], "opus");
    expect_clicks_on_beats(out, 16, 120, 30);
}

TEST(Sound, RenderRangeStartsTheSongAtTheFromBeat) {
    const auto dir = scratch_dir();
    const auto out = dir / "out.mp4";
    // From beat 4: output 0 plays song time 0.25 + 2 s; the song's clicks (every 0.5 s
    // from 0) then sit 0.25 s after each beat.
    render_ok(write_doc(dir, click_doc(dir, 0.25, "mp4")), out, {"--from-beat", "4"});
    const auto samples = audio_samples(out);
    EXPECT_EQ(count_video_frames(out), 180);
    for (int b = 0; b < 12; ++b) {
        const long expected = std::lround((b * 0.5 + 0.25) * 48000);
        EXPECT_LE(std::labs(onset_after(samples, expected - 480) - expected), 48) << "beat " << b;
    }
}

TEST(Sound, WithoutAnAudioSourceTheVideoHasASilentTrack) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "red.mp4", "red", 5, 96, 54);
    Json doc = komposition_doc(120, 23.976);
    add_source(doc, "red", "red.mp4", "video");
    add_segment(doc, "a", "red", 0, 8);
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, doc), out);
    const auto samples = audio_samples(out);
    const long frames = count_video_frames(out);
    EXPECT_EQ(frames, std::lround(4.0 * 24000 / 1001));
    EXPECT_LE(
        std::labs(static_cast<long>(samples.size()) - std::lround(frames * 1001.0 / 24000 * 48000)),
        1024);
    for (float s : samples) ASSERT_EQ(s, 0.0f);
}

}  // namespace
}  // namespace kompo::test
