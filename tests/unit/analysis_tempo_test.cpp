// Tempo, beats and downbeats of generated drums over a pad at known tempi, with and without
// a silent lead-in: what a komposition's bpm and startingOffset would be set from.
#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "analysis/analysis.hpp"
#include "core/error.hpp"
#include "support/music_support.hpp"
#include "support/support.hpp"

namespace kompo::analysis {
namespace {

namespace fs = std::filesystem;

constexpr double kSeconds = 20.0;
constexpr double kLeadIn = 2.37;  // not a multiple of any beat period tested

struct Track {
    double bpm;
    double lead_in;
};

std::string track_name(const testing::TestParamInfo<Track>& info) {
    return std::to_string(int(info.param.bpm)) + "bpm" + (info.param.lead_in > 0 ? "_lead_in" : "");
}

class GeneratedTrack : public testing::TestWithParam<Track> {};

TEST_P(GeneratedTrack, TempoWithinHalfBpmAndFirstBeatWithin20ms) {
    const Track track = GetParam();
    const fs::path song = test::scratch_dir() / "song.flac";
    test::make_drum_track(song, track.bpm, track.lead_in, kSeconds);

    const MediumAnalysis analysis = analyze_medium(song, {});
    ASSERT_TRUE(analysis.tempo);
    const BeatGrid& grid = analysis.tempo->grid;
    EXPECT_NEAR(grid.bpm, track.bpm, 0.5) << "aubio alone said " << analysis.tempo->aubio_bpm;
    EXPECT_TRUE(grid.confident) << "confidence " << grid.confidence;
    EXPECT_NEAR(grid.first_beat, track.lead_in, 0.020);
    EXPECT_NEAR(grid.first_downbeat, track.lead_in, 0.020);  // beat 1 carries the loud kick

    // Every beat of the music, each where the track put it.
    const double period = 60.0 / track.bpm;
    const auto expected = static_cast<std::size_t>(std::ceil((kSeconds - track.lead_in) / period));
    ASSERT_NEAR(double(grid.beats.size()), double(expected), 1.0);
    for (std::size_t k = 0; k < grid.beats.size(); ++k) {
        EXPECT_NEAR(grid.beats[k], track.lead_in + k * period, 0.020) << "beat " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Tempi, GeneratedTrack,
                         testing::Values(Track{90, 0}, Track{90, kLeadIn}, Track{120, 0},
                                         Track{120, kLeadIn}, Track{128, 0}, Track{128, kLeadIn},
                                         Track{140, 0}, Track{140, kLeadIn}, Track{174, 0},
                                         Track{174, kLeadIn}),
                         track_name);

TEST(Tempo, RangeFoldsTheTempoIntoIt) {
    const fs::path song = test::scratch_dir() / "dnb.flac";
    test::make_drum_track(song, 174, 0, kSeconds);
    AnalysisOptions options;
    options.tempo.min_bpm = 60;
    options.tempo.max_bpm = 120;
    const MediumAnalysis analysis = analyze_medium(song, options);
    EXPECT_NEAR(analysis.tempo->grid.bpm, 87, 0.5);
}

TEST(Tempo, NoBeatIsSaidNotGuessed) {
    const fs::path pad = test::scratch_dir() / "pad.flac";
    test::make_pad_track(pad, kSeconds);
    const MediumAnalysis analysis = analyze_medium(pad, {});
    ASSERT_TRUE(analysis.tempo);
    EXPECT_FALSE(analysis.tempo->grid.confident)
        << "confidence " << analysis.tempo->grid.confidence;
    EXPECT_EQ(analysis_json(analysis, {})["tempo"]["bpm"], nullptr);
}

TEST(Tempo, SilenceHasNoBeats) {
    const std::vector<float> silence(22050 * 10, 0.0f);
    const TempoAnalysis tempo = analyze_tempo(silence, 22050, {});
    EXPECT_FALSE(tempo.grid.confident);
    EXPECT_TRUE(tempo.grid.beats.empty());
}

TEST(Tempo, EmptyRangeIsRefusedNamingIt) {
    const std::vector<float> silence(22050, 0.0f);
    TempoOptions options;
    options.min_bpm = 100;
    options.max_bpm = 150;
    try {
        analyze_tempo(silence, 22050, options);
        ADD_FAILURE() << "a range narrower than an octave was accepted";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
        EXPECT_NE(std::string(e.what()).find("tempo range"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace kompo::analysis
