// The automatic komposition from analysed media (no media needed: montage is pure).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "montage/montage.hpp"

namespace kompo::montage {
namespace {

Clip clip(const std::string& id, double seconds, std::vector<double> changes = {}) {
    Clip c{id, id + ".mp4", seconds, std::move(changes), {}, 320, 180};
    c.seconds.assign(static_cast<std::size_t>(std::ceil(seconds)), Levels{0.5, 0.05});
    return c;
}

const Song kSong{"song", "song.flac", 120, 0.5, 16.5};  // 16 s of music: 8 bars at 120

double window_start(const nlohmann::ordered_json& k, std::size_t segment) {
    return k["segments"][segment]["source_timing"]["original_start"].get<double>();
}

TEST(Montage, CutsEveryTwoBarsOnTheGridAcrossTheSong) {
    const auto k = build_komposition(kSong, {clip("a", 30), clip("b", 30)}, {});
    EXPECT_EQ(k["bpm"], 120.0);
    EXPECT_EQ(k["beatpattern"]["tobeat"], 32);
    ASSERT_EQ(k["segments"].size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        const auto& s = k["segments"][i];
        EXPECT_EQ(s["start"], 8 * int(i));
        EXPECT_EQ(s["end"], 8 * int(i) + 8);
        EXPECT_EQ(s["sourceid"], i % 2 == 0 ? "a" : "b") << s;
        EXPECT_DOUBLE_EQ(s["source_timing"]["original_duration"].get<double>(), 4.0);
    }
    const auto& song = k["sources"].back();
    EXPECT_EQ(song["mediatype"], "audio");
    EXPECT_EQ(song["startingOffset"], 0.5);
}

TEST(Montage, AvoidsBlackAndStillSecondsAndShotChangesInside) {
    Clip c = clip("a", 12, {5.0});
    for (int s = 0; s < 4; ++s) c.seconds[s].brightness = 0.01;  // black first
    c.seconds[9].motion = 0;                                     // still later
    Options options;
    options.max_cuts = 1;
    const auto k = build_komposition(kSong, {c}, options);
    // The 4-second window must miss seconds 0-3 and 9 and not hold the change at 5 s:
    // it starts at the change, 5.0, the only place that does all of that.
    EXPECT_DOUBLE_EQ(window_start(k, 0), 5.0);
}

TEST(Montage, DoesNotShowTheSamePartTwice) {
    const auto k = build_komposition(kSong, {clip("a", 20, {0.0, 4.0, 8.0, 12.0})}, {});
    std::vector<double> starts;
    for (std::size_t i = 0; i < k["segments"].size(); ++i) starts.push_back(window_start(k, i));
    std::sort(starts.begin(), starts.end());
    for (std::size_t i = 1; i < starts.size(); ++i) EXPECT_GE(starts[i] - starts[i - 1], 4.0);
}

TEST(Montage, ClipsOfOneShotStartAnywhereButLongEnough) {
    Options options;
    options.bars_per_cut = 1;
    const auto k = build_komposition(kSong, {clip("a", 2.5)}, options);
    EXPECT_EQ(k["segments"].size(), 8u);
    EXPECT_DOUBLE_EQ(window_start(k, 0), 0.0);  // 2 s windows of a 2.5 s clip
    EXPECT_LE(window_start(k, 1), 0.5);
}

TEST(Montage, RefusesWhatCannotWorkNamingIt) {
    const auto message = [](auto make) {
        try {
            make();
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_NE(message([] { build_komposition(kSong, {}, {}); }).find("clips"), std::string::npos);
    Song no_tempo = kSong;
    no_tempo.bpm = 0;
    EXPECT_NE(message([&] { build_komposition(no_tempo, {clip("a", 9)}, {}); }).find("bpm"),
              std::string::npos);
    Song short_song = kSong;
    short_song.duration = 3;
    EXPECT_NE(message([&] { build_komposition(short_song, {clip("a", 9)}, {}); }).find("song.flac"),
              std::string::npos);
}

}  // namespace
}  // namespace kompo::montage
