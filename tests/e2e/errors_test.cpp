// Every error the contract lists: one line naming the field or file, a non-zero exit,
// and no output file (nor any work file) left behind.
#include <algorithm>
#include <fstream>
#include <functional>

#include "e2e_support.hpp"

namespace kompo::test {
namespace {

struct Case {
    std::string name;
    std::function<void(Json&, const fs::path&)> spoil;
    int exit_code;
    std::vector<std::string> message_parts;
};

Json good_doc(const fs::path& dir) {
    make_colour_clip(dir / "red.mp4", "red", 4, 96, 54);
    Json doc = komposition_doc(120, 30);
    add_source(doc, "red", "red.mp4", "video");
    add_segment(doc, "a", "red", 0, 4);
    add_segment(doc, "b", "red", 4, 4);
    return doc;
}

void expect_clean_failure(const fs::path& dir, const CommandResult& r, int exit_code,
                          const std::vector<std::string>& parts) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << r.err;
    for (const auto& part : parts) EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
    for (const auto& entry : fs::directory_iterator(dir)) {
        EXPECT_EQ(entry.path().filename().string().find(".out.mp4"), std::string::npos)
            << "left behind: " << entry.path();
    }
}

class Errors : public ::testing::TestWithParam<Case> {};

TEST_P(Errors, NameTheFieldExitNonZeroAndLeaveNoOutput) {
    const auto& c = GetParam();
    const auto dir = scratch_dir();
    Json doc = good_doc(dir);
    c.spoil(doc, dir);
    const auto k = dir / "k.json";
    if (!fs::exists(k)) write_doc(dir, doc);
    auto r = kompo({"render", k.string(), "-o", (dir / "out.mp4").string(), "--progress", "none"});
    expect_clean_failure(dir, r, c.exit_code, c.message_parts);
}

const Case kCases[] = {
    {"MalformedJson",
     [](Json&, const fs::path& dir) {
         std::ofstream(dir / "k.json") << "{\n  \"_id\": \"x\",\n  \"bpm\": ,\n}";
     },
     3,
     {"k.json", "line 3", "column"}},
    {"UnknownSourceId",
     [](Json& d, const fs::path&) { d["segments"][1]["sourceid"] = "nope"; },
     3,
     {"segments[1].sourceid", "nope"}},
    {"ZeroBpm", [](Json& d, const fs::path&) { d["bpm"] = 0; }, 3, {"bpm"}},
    {"NegativeBpm", [](Json& d, const fs::path&) { d["bpm"] = -120; }, 3, {"bpm"}},
    {"EndNotStartPlusDuration",
     [](Json& d, const fs::path&) { d["segments"][1]["end"] = 9; },
     3,
     {"segments[1].end"}},
    {"ZeroDuration",
     [](Json& d, const fs::path&) {
         d["segments"][1]["duration"] = 0;
         d["segments"][1]["end"] = 4;
     },
     3,
     {"segments[1].duration"}},
    {"NegativeDuration",
     [](Json& d, const fs::path&) {
         d["segments"][1]["duration"] = -2;
         d["segments"][1]["end"] = 2;
     },
     3,
     {"segments[1].duration"}},
    {"OverlappingSegments",
     [](Json& d, const fs::path&) {
         d["segments"][1]["start"] = 2;
         d["segments"][1]["end"] = 6;
     },
     3,
     {"segments[1]", "segments[0]", "2", "4"}},
    {"MissingMedium",
     [](Json& d, const fs::path&) { d["sources"][0]["url"] = "gone.mp4"; },
     4,
     {"sources[0]", "gone.mp4"}},
    {"UndecodableMedium",
     [](Json& d, const fs::path& dir) {
         std::ofstream(dir / "junk.mp4") << "this is not a video at all";
         d["sources"][0]["url"] = "junk.mp4";
     },
     4,
     {"sources[0]", "junk.mp4"}},
    {"WindowStartsPastTheEnd",
     [](Json& d, const fs::path&) {
         d["segments"][1]["source_timing"] = {{"original_start", 30.0}, {"original_duration", 1.0}};
     },
     4,
     {"segments[1]", "past the end"}},
    {"UnsupportedContainer",
     [](Json& d, const fs::path&) { d["config"]["extension"] = "avi"; },
     3,
     {"config.extension", "avi"}},
    {"RemoteUrl",
     [](Json& d, const fs::path&) { d["sources"][0]["url"] = "https://example.invalid/x.mp4"; },
     3,
     {"sources[0]", "url"}},
};

INSTANTIATE_TEST_SUITE_P(Contract, Errors, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

TEST(ErrorsCli, MissingKompositionFileIsNamed) {
    const auto dir = scratch_dir();
    auto r = kompo({"render", (dir / "none.json").string(), "-o", (dir / "out.mp4").string()});
    expect_clean_failure(dir, r, 3, {"none.json"});
}

TEST(ErrorsCli, MediaTheRenderDoesNotUseAreNotRequired) {
    const auto dir = scratch_dir();
    Json doc = good_doc(dir);
    make_click_track(dir / "song.wav", 120, 4);
    add_source(doc, "song", "song.wav", "audio");
    add_source(doc, "second_song", "gone.wav", "audio");  // not the soundtrack
    add_source(doc, "unused_clip", "gone.mp4", "video");
    add_segment(doc, "late", "unused_clip", 8, 4);
    const auto out = dir / "out.mp4";
    render_ok(write_doc(dir, doc), out, {"--to-beat", "8"});
    EXPECT_EQ(count_video_frames(out), 120);

    auto full = kompo({"render", (dir / "k.json").string(), "-o", (dir / "full.mp4").string()});
    EXPECT_EQ(full.exit_code, 4) << "the full range needs unused_clip";
    EXPECT_NE(full.err.find("sources[3] (\"unused_clip\").url"), std::string::npos) << full.err;
}

TEST(ErrorsCli, AFolderIsNotAKomposition) {
    const auto dir = scratch_dir();
    auto r = kompo({"validate", dir.string()});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("is a folder"), std::string::npos) << r.err;
}

TEST(ErrorsCli, OutputIntoAMissingFolderFailsBeforeRendering) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, good_doc(dir));
    auto r = kompo({"render", k.string(), "-o", (dir / "missing" / "out.mp4").string()});
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "missing"));
}

// A render written over one of its own sources would destroy the footage: refused before
// anything runs, the medium's bytes untouched.
TEST(ErrorsCli, AnOutputThatIsASourceIsRefusedAndTheMediumKept) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, good_doc(dir));
    const auto before = file_bytes(dir / "red.mp4");
    auto r = kompo({"render", k.string(), "-o", (dir / "red.mp4").string(), "--progress", "none"});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("it is the medium of sources[0] (\"red\")"), std::string::npos) << r.err;
    EXPECT_EQ(file_bytes(dir / "red.mp4"), before);
}

TEST(ErrorsCli, CanonicalIntoAMissingFolderSaysWhy) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, good_doc(dir));
    auto r = kompo({"canonical", k.string(), "-o", (dir / "missing" / "k.json").string()});
    EXPECT_EQ(r.exit_code, 5) << r.err;
    EXPECT_NE(
        r.err.find("cannot write: the folder " + (dir / "missing").string() + " does not exist"),
        std::string::npos)
        << r.err;
}

TEST(ErrorsCli, UnknownFlagIsAUsageError) {
    auto r = kompo({"render", "--no-such-flag"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace kompo::test
