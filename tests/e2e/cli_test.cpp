// The `kompo` command's other verbs, its progress output, and Ctrl-C.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>

#include "e2e_support.hpp"

extern char** environ;

namespace kompo::test {
namespace {

Json two_segment_doc(const fs::path& dir) {
    make_colour_clip(dir / "red.mp4", "red", 6, 96, 54);
    make_colour_image(dir / "blue.png", "blue", 32, 32);
    Json doc = komposition_doc(120, 30);
    doc["mystery"] = {{"kept", true}};
    add_source(doc, "red", "red.mp4", "video");
    add_source(doc, "blue", "file://blue.png", "image");
    add_segment(doc, "a", "red", 0, 4);
    add_segment(doc, "b", "blue", 4, 4);
    return doc;
}

TEST(Cli, HelpDocumentsTheExitCodes) {
    auto r = kompo({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("130"), std::string::npos);
    EXPECT_NE(r.out.find("render"), std::string::npos);
}

TEST(Cli, VersionSaysWhichKompoThisIs) {
    auto r = kompo({"--version"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "kompo 0.1.0\n");
}

TEST(Cli, ValidateSummarisesAValidKomposition) {
    const auto dir = scratch_dir();
    auto r = kompo({"validate", write_doc(dir, two_segment_doc(dir)).string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("valid Komposition \"Test\": 2 segments"), std::string::npos) << r.out;
}

TEST(Cli, ProbeDescribesAMedium) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "c.mp4", "red", 2, 160, 90, "25");
    auto r = kompo({"probe", (dir / "c.mp4").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["kind"], "video");
    EXPECT_EQ(j["video"]["width"], 160);
    EXPECT_EQ(j["video"]["height"], 90);
    EXPECT_EQ(j["video"]["frame_rate"], "25/1");
    EXPECT_NEAR(j["duration"].get<double>(), 2.0, 0.05);
    auto missing = kompo({"probe", (dir / "nope.mp4").string()});
    EXPECT_EQ(missing.exit_code, 4);
    EXPECT_NE(missing.err.find("nope.mp4"), std::string::npos);
}

TEST(Cli, PlanListsPiecesWithWindowsAndFrames) {
    const auto dir = scratch_dir();
    auto r = kompo({"plan", write_doc(dir, two_segment_doc(dir)).string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("frames 0-60 (60)  source 0.000 s to 2.000 s"), std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("frames 60-120 (60)  source still image"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("join   2 pieces -> 120 frames"), std::string::npos) << r.out;
}

TEST(Cli, CanonicalKeepsUnknownFieldsAndWritesTheCanonicalForm) {
    const auto dir = scratch_dir();
    Json doc = two_segment_doc(dir);
    doc.erase("_id");
    doc["id"] = "Second_Dialect";
    const auto out = dir / "canonical.json";
    auto r = kompo({"canonical", write_doc(dir, doc).string(), "-o", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(out);
    auto written = nlohmann::json::parse(in);
    EXPECT_EQ(written["_id"], "Second_Dialect");
    EXPECT_EQ(written["mystery"]["kept"], true);
    EXPECT_EQ(written["segments"][1]["end"], 8);
    EXPECT_TRUE(written["segments"][1]["end"].is_number_integer());
}

TEST(Cli, JsonProgressReportsFramesAndTheResult) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, two_segment_doc(dir));
    auto r = kompo({"render", k.string(), "-o", (dir / "out.mkv").string(), "--progress", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    nlohmann::json last;
    int progress_lines = 0;
    while (std::getline(lines, line)) {
        last = nlohmann::json::parse(line);
        if (last["event"] == "progress") ++progress_lines;
    }
    EXPECT_GT(progress_lines, 0);
    EXPECT_EQ(last["event"], "done");
    EXPECT_EQ(last["frames"], 120);
    EXPECT_EQ(ffprobe(dir / "out.mkv")["format"]["format_name"], "matroska,webm");
}

// A program reading the JSON lines alone learns how a failed render ended, and an ETA not
// known yet is null, not a number.
TEST(Cli, JsonProgressEndsWithTheFailureAndLeavesAnUnknownEtaNull) {
    const auto dir = scratch_dir();
    auto doc = two_segment_doc(dir);
    doc["segments"][0]["source_timing"] = {{"original_start", 600}, {"original_duration", 1}};
    const auto k = write_doc(dir, doc);
    auto r = kompo({"render", k.string(), "-o", (dir / "out.mp4").string(), "--progress", "json"});
    ASSERT_EQ(r.exit_code, 4) << r.err;
    std::istringstream lines(r.out);
    std::string line;
    nlohmann::json last;
    while (std::getline(lines, line)) {
        last = nlohmann::json::parse(line);
        if (last["event"] != "progress") continue;
        const auto& eta = last["eta_seconds"];
        EXPECT_TRUE(eta.is_null() || eta.get<double>() >= 0) << line;
    }
    EXPECT_EQ(last["event"], "failed") << r.out;
    EXPECT_NE(last["message"].get<std::string>().find("past the end of"), std::string::npos)
        << r.out;
}

TEST(Cli, PlainProgressWhenNotATerminal) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, two_segment_doc(dir));
    auto r = kompo({"render", k.string(), "-o", (dir / "out.mp4").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("render: 100% (120/120 frames"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("\033["), std::string::npos) << "no terminal escapes in a log";
    EXPECT_NE(r.out.find("wrote "), std::string::npos);
}

TEST(Cli, BarProgressShowsFramesPercentAndEta) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, two_segment_doc(dir));
    auto r = kompo({"render", k.string(), "-o", (dir / "out.mp4").string(), "--progress", "bar"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("[##############################] 100%  120/120 frames  ETA"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("\r\033[K["), std::string::npos) << "redraws in place";
}

// Runs `kompo render K -o OUT --progress json`, sends SIGINT at the first progress line
// `interrupt_at` accepts, and returns the exit code (-1 when no line was accepted).
int render_interrupted_at(const fs::path& k, const fs::path& out,
                          const std::function<bool(const nlohmann::json&)>& interrupt_at) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return -1;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    std::vector<std::string> args{KOMPO_BIN,    "render",     k.string(), "-o",
                                  out.string(), "--progress", "json"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, KOMPO_BIN, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawned != 0) return -1;
    FILE* progress = fdopen(pipe_fds[0], "r");
    char line[4096];
    bool interrupted = false;
    while (std::fgets(line, sizeof line, progress)) {
        const auto j = nlohmann::json::parse(line, nullptr, false);
        if (!interrupted && j.is_object() && interrupt_at(j)) {
            kill(pid, SIGINT);
            interrupted = true;
        }
    }
    fclose(progress);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!interrupted || !WIFEXITED(status)) return -1;
    return WEXITSTATUS(status);
}

// Ctrl-C in the middle of a render: exit 130, no output file, no work files.
TEST(Cli, InterruptLeavesNoOutputBehind) {
    const auto dir = scratch_dir();
    make_colour_image(dir / "still.png", "red", 1920, 1080);
    Json doc = komposition_doc(60, 30, 1280, 720);
    add_source(doc, "still", "still.png", "image");
    add_segment(doc, "long", "still", 0, 120);  // two minutes of 720p
    const auto k = write_doc(dir, doc);
    const auto out = dir / "out.mp4";
    const int exit_code = render_interrupted_at(k, out, [](const nlohmann::json& j) {
        return j["event"] == "progress" &&
               j["frames"].get<long>() > 0;  // frames are being rendered
    });
    EXPECT_EQ(exit_code, 130);
    EXPECT_FALSE(fs::exists(out));
    for (const auto& entry : fs::directory_iterator(dir)) {
        const auto name = entry.path().filename().string();
        EXPECT_TRUE(name == "still.png" || name == "k.json") << "left behind: " << name;
    }
}

// Ctrl-C once the picture is done, while the render puts picture and sound together and
// saves the file: either it ended in time (exit 0, the video there) or it says it was
// interrupted (130) and leaves no video — never 130 with a finished file in place.
TEST(Cli, InterruptWhileTheFileIsSavedNeverLeavesAFileItSaysItDidNotMake) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "red.mp4", "red", 8, 320, 180);
    make_click_track(dir / "song.wav", 120, 10);
    Json doc = komposition_doc(120, 30, 320, 180);
    add_source(doc, "red", "red.mp4", "video");
    add_source(doc, "song", "song.wav", "audio");
    add_segment(doc, "a", "red", 0, 8);
    add_segment(doc, "b", "red", 8, 8);
    const auto k = write_doc(dir, doc);
    const auto out = dir / "out.mp4";
    const int exit_code = render_interrupted_at(k, out, [](const nlohmann::json& j) {
        const auto stage = j.value("stage", std::string());
        return stage == "mux" || stage == "publish";
    });
    ASSERT_TRUE(exit_code == 0 || exit_code == 130) << exit_code;
    EXPECT_EQ(fs::exists(out), exit_code == 0) << "exit " << exit_code;
}

}  // namespace
}  // namespace kompo::test
