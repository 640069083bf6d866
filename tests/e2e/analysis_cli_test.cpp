// `kompo analyze` and `kompo auto` on generated media: the tempo and shot changes printed,
// and an automatic komposition that validates, renders, and cuts only on beat frames.
#include <cmath>
#include <regex>
#include <set>

#include "e2e_support.hpp"
#include "support/audio_support.hpp"
#include "support/music_support.hpp"

namespace kompo::test {
namespace {

TEST(AnalyzeCli, PrintsTempoFirstDownbeatAndTheOffer) {
    const auto dir = scratch_dir();
    make_drum_track(dir / "song.flac", 128, 1.25, 16);
    const auto r = kompo({"analyze", (dir / "song.flac").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::smatch tempo, downbeat;
    ASSERT_TRUE(std::regex_search(r.out, tempo, std::regex(R"(tempo: ([0-9.]+) BPM)"))) << r.out;
    EXPECT_NEAR(std::stod(tempo[1]), 128, 0.5);
    ASSERT_TRUE(std::regex_search(r.out, downbeat, std::regex(R"(first downbeat at ([0-9.]+) s)")))
        << r.out;
    EXPECT_NEAR(std::stod(downbeat[1]), 1.25, 0.02);
    EXPECT_NE(r.out.find("offer: bpm"), std::string::npos) << r.out;

    const auto j = kompo({"analyze", "--json", (dir / "song.flac").string()});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto analysis = nlohmann::json::parse(j.out);
    EXPECT_EQ(analysis["kind"], "audio");
    EXPECT_NEAR(analysis["suggested"]["bpm"].get<double>(), 128, 0.5);
    EXPECT_NEAR(analysis["suggested"]["startingOffset"].get<double>(), 1.25, 0.02);
}

TEST(AnalyzeCli, SaysWhenItIsUnsureInsteadOfGuessing) {
    const auto dir = scratch_dir();
    make_pad_track(dir / "pad.flac", 12);
    const auto r = kompo({"analyze", (dir / "pad.flac").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("tempo: unsure"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("offer:"), std::string::npos) << r.out;
    const auto refused = kompo({"auto", "--audio", (dir / "pad.flac").string(), "x.mp4", "-o",
                                (dir / "auto.json").string()});
    EXPECT_EQ(refused.exit_code, 3);
    EXPECT_NE(refused.err.find("pad.flac: tempo unsure"), std::string::npos) << refused.err;
    EXPECT_FALSE(fs::exists(dir / "auto.json"));
}

TEST(AnalyzeCli, PrintsShotChangesOfAClip) {
    const auto dir = scratch_dir();
    make_cut_clip(dir / "clip.mp4", {40, 50, 30}, 30, 320, 180);
    const auto j = kompo({"analyze", "--json", (dir / "clip.mp4").string()});
    ASSERT_EQ(j.exit_code, 0) << j.err;
    const auto shots = nlohmann::json::parse(j.out)["shots"];
    ASSERT_EQ(shots["changes"].size(), 2u) << shots;
    EXPECT_EQ(shots["changes"][0]["frame"], 40);
    EXPECT_EQ(shots["changes"][1]["frame"], 90);
    EXPECT_EQ(shots["seconds"].size(), 4u);
}

TEST(AnalyzeCli, AMissingFileIsNamed) {
    const auto r = kompo({"analyze", "/nonexistent/song.flac"});
    EXPECT_EQ(r.exit_code, 4);
    EXPECT_NE(r.err.find("/nonexistent/song.flac"), std::string::npos) << r.err;
}

// Output frames where beats fall: F(b) = round(b * 60 / bpm * fps).
std::set<long long> beat_frames(double bpm, int fps, int beats) {
    std::set<long long> frames;
    for (int b = 0; b <= beats; ++b) frames.insert(std::llround(b * 60.0 / bpm * fps));
    return frames;
}

TEST(AutoCli, KompositionValidatesRendersAndEveryCutFallsOnABeatFrame) {
    const auto dir = scratch_dir();
    const double lead_in = 0.6;
    make_drum_track(dir / "song.flac", 128, lead_in, 12);
    make_cut_clip(dir / "a.mp4", {70, 70, 70}, 30, 320, 180, 0, 0);
    make_cut_clip(dir / "b.mp4", {100, 110}, 30, 320, 180, 0, 3);
    const auto out = dir / "mv.json";
    const auto r = kompo({"auto", "--audio", (dir / "song.flac").string(), (dir / "a.mp4").string(),
                          (dir / "b.mp4").string(), "--bars-per-cut", "1", "--width", "320",
                          "--height", "180", "-o", out.string(), "--render"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(kompo({"validate", out.string()}).exit_code, 0);

    const auto k = nlohmann::json::parse(std::ifstream(out));
    const double bpm = k["bpm"].get<double>();
    EXPECT_NEAR(bpm, 128, 0.5);
    EXPECT_NEAR(k["sources"].back()["startingOffset"].get<double>(), lead_in, 0.02);
    const int beats = k["beatpattern"]["tobeat"].get<int>();
    EXPECT_EQ(beats, 24);  // (12 - 0.6) s of music holds 6 bars of 4 at 128

    const auto video = dir / "mv.mp4";
    ASSERT_TRUE(fs::exists(video));
    EXPECT_EQ(count_video_frames(video), std::llround(beats * 60.0 / bpm * 30));

    // Every cut ffmpeg sees in the video is on a beat, and every cut the komposition makes
    // (each 4 beats, between the clips) is seen.
    const auto on_beats = beat_frames(bpm, 30, beats);
    const auto cuts = scene_change_frames(video);
    for (long long frame : cuts) EXPECT_TRUE(on_beats.count(frame)) << "cut at frame " << frame;
    std::set<long long> expected;
    for (int b = 4; b < beats; b += 4) expected.insert(std::llround(b * 60.0 / bpm * 30));
    EXPECT_EQ(std::set<long long>(cuts.begin(), cuts.end()), expected);
    // The sound is placed so the music's first beat plays with the first frame.
    const auto sound = audio_samples(video);
    const auto onsets = click_onsets(sound, 0.3f, 480);
    ASSERT_FALSE(onsets.empty());
    EXPECT_NEAR(onsets.front() / 48000.0, 0.0, 0.02);
}

}  // namespace
}  // namespace kompo::test
