// The workflow engine seen from the command line: the cache planned backwards, retries,
// permanent failures, cancellation, and many workers racing on many executions.
#include <sched.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "core/usable_cores.hpp"
#include "workflow_support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

// 16 one-beat segments (15 frames each at 120 BPM, 30 fps) of a numbered clip: output
// frame i shows source frame i. Source "later" is the same clip 6 s further on (frames no
// segment shows, so an edit to it cannot be found in the cache).
Json sixteen_segments(const fs::path& dir) {
    make_numbered_clip(dir / "clip.mp4", 10, 320, 180);
    make_click_track(dir / "song.wav", 120, 9);
    Json doc = komposition_doc(120, 30, 320, 180);
    add_source(doc, "clip", "clip.mp4", "video");
    add_source(doc, "later", "clip.mp4", "video", 6.0);
    add_source(doc, "song", "song.wav", "audio");
    for (int i = 0; i < 16; ++i) add_segment(doc, "s" + std::to_string(i), "clip", i, 1);
    return doc;
}

// `kompo render` (or `binary render` with `env` set) with JSON progress: its execution id.
std::string render_id(const fs::path& k, const fs::path& out, const char* binary = KOMPO_BIN,
                      const std::string& env = {}) {
    std::vector<std::string> argv{binary,       "render",     k.string(), "-o",
                                  out.string(), "--progress", "json"};
    if (!env.empty()) argv.insert(argv.begin(), {"env", env});
    const auto r = run(argv);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        const auto j = json::parse(line);
        if (j["event"] == "submitted") return j["execution"];
    }
    ADD_FAILURE() << "no execution id in " << r.out;
    return {};
}

int count_events(const json& status, const std::string& kind, const std::string& type) {
    std::map<std::string, std::string> kinds;
    for (const auto& s : status["steps"]) kinds[s["name"]] = s["kind"];
    int n = 0;
    for (const auto& e : status["events"]) n += e["type"] == type && kinds[e["step"]] == kind;
    return n;
}

// What each step.succeeded event of a segment step says of its encoder's threads.
std::vector<int> encoder_threads_said(const json& status, const std::string& step) {
    std::vector<int> said;
    for (const auto& e : step_events(status, step, "step.succeeded"))
        said.push_back(e["detail"].value("encoder_threads", -1));
    return said;
}

TEST(WorkflowCache, EditingOneSegmentRerendersOnlyIt) {
    const auto dir = scratch_dir();
    auto doc = sixteen_segments(dir);
    const auto k = write_doc(dir, doc);
    const auto first = render_id(k, dir / "first.mp4");
    const auto cold = status_of(first);
    EXPECT_EQ(count_steps(cold, "segment", "succeeded"), 16);

    doc["segments"][4]["sourceid"] = "later";  // segment 5 now shows the clip from 6 + 2 s
    write_doc(dir, doc);
    const auto second = status_of(render_id(k, dir / "second.mp4"));
    EXPECT_EQ(count_steps(second, "segment", "succeeded"), 1);
    EXPECT_EQ(count_steps(second, "segment", "cached"), 15);
    EXPECT_EQ(step_named(second, "segment-5")["state"], "succeeded");
    EXPECT_EQ(step_named(second, "join")["state"], "succeeded");
    EXPECT_EQ(step_named(second, "sound")["state"], "cached");
    EXPECT_EQ(step_named(second, "mux")["state"], "succeeded");
    EXPECT_EQ(count_events(second, "segment", "step.running"), 1) << "pieces executed";

    const auto numbers = read_frame_numbers(dir / "second.mp4");
    ASSERT_EQ(numbers.size(), 240u);
    for (int frame = 0; frame < 240; ++frame) {
        const bool edited = frame >= 60 && frame < 75;
        EXPECT_EQ(numbers[frame], edited ? frame + 180 : frame) << "output frame " << frame;
    }

    const auto third = status_of(render_id(k, dir / "third.mp4"));
    EXPECT_EQ(count_steps(third, "segment", "succeeded") + count_steps(third, "segment", "cached"),
              0)
        << "an unchanged komposition is found whole in the cache";
    EXPECT_EQ(step_named(third, "mux")["state"], "cached");
    EXPECT_EQ(count_events(third, "segment", "step.running") +
                  count_events(third, "join", "step.running") +
                  count_events(third, "mux", "step.running"),
              0);
    EXPECT_EQ(file_bytes(dir / "third.mp4"), file_bytes(dir / "second.mp4"));
}

// Four one-beat segments of a clip in `dir` smaller than the output, so every segment is
// encoded (not copied); source "later" shows the same clip 6 s on.
Json four_encoded_segments(const fs::path& dir) {
    make_numbered_clip(dir / "clip.mp4", 10, 160, 90);
    Json doc = komposition_doc(120, 30, 320, 180);
    add_source(doc, "clip", "clip.mp4", "video");
    add_source(doc, "later", "clip.mp4", "video", 6.0);
    for (int i = 0; i < 4; ++i) add_segment(doc, "s" + std::to_string(i), "clip", i, 1);
    return doc;
}

TEST(WorkflowCache, TheOnlySegmentAnEditLeavesToEncodeTakesEveryCore) {
    const auto dir = scratch_dir();
    Json doc = four_encoded_segments(dir);
    const auto k = write_doc(dir, doc);
    const auto cold = status_of(render_id(k, dir / "cold.mp4"));
    for (int i = 1; i <= 4; ++i) {  // workers.threads_per_step: 1
        const auto name = "segment-" + std::to_string(i);
        EXPECT_EQ(encoder_threads_said(cold, name), std::vector<int>{1}) << name;
    }

    doc["segments"][1]["sourceid"] = "later";
    write_doc(dir, doc);
    const auto edit = status_of(render_id(k, dir / "edit.mp4"));
    EXPECT_EQ(count_steps(edit, "segment", "cached"), 3);
    EXPECT_EQ(encoder_threads_said(edit, "segment-2"), std::vector<int>{usable_cores()});
    const auto numbers = read_frame_numbers(dir / "edit.mp4");
    ASSERT_EQ(numbers.size(), 60u);
    for (int frame = 0; frame < 60; ++frame) {
        const bool edited = frame >= 15 && frame < 30;
        EXPECT_EQ(numbers[frame], edited ? frame + 180 : frame) << "output frame " << frame;
    }
}

// Runs the calling thread (and what it starts) on one of the CPUs it may use, as
// `taskset -c N` would; restores them when it goes.
class PinnedToOneCpu {
  public:
    PinnedToOneCpu() {
        CPU_ZERO(&before_);
        sched_getaffinity(0, sizeof before_, &before_);
        cpu_set_t one;
        CPU_ZERO(&one);
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (CPU_ISSET(cpu, &before_)) {
                CPU_SET(cpu, &one);
                break;
            }
        }
        sched_setaffinity(0, sizeof one, &one);
    }
    ~PinnedToOneCpu() { sched_setaffinity(0, sizeof before_, &before_); }
    PinnedToOneCpu(const PinnedToOneCpu&) = delete;
    PinnedToOneCpu& operator=(const PinnedToOneCpu&) = delete;

  private:
    cpu_set_t before_;
};

// "Every core" is the cores the worker may use (its CPU affinity, a container's CPU
// limit), not the machine's: a worker pinned to one CPU encodes the lone segment on one
// thread.
TEST(WorkflowCache, ALoneSegmentTakesTheCoresTheWorkerMayUseNotTheMachines) {
    const auto dir = scratch_dir();
    Json doc = four_encoded_segments(dir);
    const auto k = write_doc(dir, doc);
    render_id(k, dir / "cold.mp4");
    doc["segments"][1]["sourceid"] = "later";
    write_doc(dir, doc);
    std::string edited;
    {
        PinnedToOneCpu pinned;
        edited = render_id(k, dir / "edit.mp4");
    }
    EXPECT_EQ(encoder_threads_said(status_of(edited), "segment-2"), std::vector<int>{1});
    EXPECT_EQ(count_video_frames(dir / "edit.mp4"), 60);
}

// What the probe step says it did: files hashed, probes answered from the store, probes
// that opened a file.
json probe_said(const std::string& execution) {
    const auto succeeded = step_events(status_of(execution), "probe", "step.succeeded");
    EXPECT_EQ(succeeded.size(), 1u);
    return succeeded.empty() ? json() : succeeded[0]["detail"]["probe"];
}

json probe_counts(int hashed, int cached, int probed) {
    return json{{"hashed", hashed}, {"cached", cached}, {"probed", probed}};
}

// The clip is what the output needs (96x54, 30 fps, keyframes every 15 frames), so its
// packets are copied: a probe result of another file would be copied into the output too.
TEST(WorkflowCache, SourcesAreProbedOncePerContent) {
    using namespace std::chrono_literals;
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 6, 96, 54);
    Json doc = komposition_doc(120, 30, 96, 54);
    add_source(doc, "clip", "clip.mp4", "video");
    add_segment(doc, "a", "clip", 0, 4);
    add_segment(doc, "b", "clip", 4, 4);
    const auto k = write_doc(dir, doc);
    // Hashed, probed for its streams, then for its keyframes (it can be stream-copied).
    EXPECT_EQ(probe_said(render_id(k, dir / "first.mp4")), probe_counts(1, 0, 2));

    // Segment b is cut short: beats 4 to 6 (source 2 s to 3 s).
    doc["segments"][1]["duration"] = 2;
    doc["segments"][1]["end"] = 6;
    write_doc(dir, doc);
    EXPECT_EQ(probe_said(render_id(k, dir / "edited.mp4")), probe_counts(0, 2, 0))
        << "an unchanged source is not opened again";

    fs::last_write_time(dir / "clip.mp4", fs::last_write_time(dir / "clip.mp4") + 1s);
    EXPECT_EQ(probe_said(render_id(k, dir / "touched.mp4")), probe_counts(1, 2, 0))
        << "a touched file is hashed again; its content is the same";

    // Another clip under the same name: twice the size, numbered from 1000.
    make_numbered_clip(dir / "clip.mp4", 6, 192, 108, "30", 1000);
    const auto replaced = dir / "replaced.mp4";
    EXPECT_EQ(probe_said(render_id(k, replaced)), probe_counts(1, 0, 1))
        << "new content is probed (not copyable: only its streams)";
    const auto video = ffprobe(replaced)["streams"][0];
    EXPECT_EQ(video["width"], 96);
    EXPECT_EQ(video["height"], 54);
    std::vector<int> expected;
    for (int i = 0; i < 90; ++i) expected.push_back(1000 + i);
    EXPECT_EQ(read_frame_numbers(replaced), expected);
}

// The probe step probes sources at once; two sources naming one file still read it once.
// The output is twice the clips' size, so no source is a candidate for copying: one probe
// per file (its streams).
TEST(WorkflowCache, SourcesProbedAtOnceReadEachFileOnce) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "a.mp4", 6, 96, 54);
    make_numbered_clip(dir / "b.mp4", 6, 96, 54, "30", 1000);
    Json doc = komposition_doc(120, 30, 192, 108);
    add_source(doc, "a", "a.mp4", "video");
    add_source(doc, "b", "b.mp4", "video");
    add_source(doc, "a_later", "a.mp4", "video", 2.0);
    add_segment(doc, "s0", "a", 0, 2);
    add_segment(doc, "s1", "b", 2, 2);
    add_segment(doc, "s2", "a_later", 4, 2);
    const auto k = write_doc(dir, doc);
    const auto out = dir / "out.mp4";
    EXPECT_EQ(probe_said(render_id(k, out)), probe_counts(2, 0, 2));
    const auto numbers = read_frame_numbers(out);
    ASSERT_EQ(numbers.size(), 90u);
    for (int frame = 0; frame < 90; ++frame) {
        const int expected = frame < 30 ? frame : frame < 60 ? 1000 + frame : 60 + frame;
        EXPECT_EQ(numbers[frame], expected) << "output frame " << frame;
    }
}

// Two one-beat segments (30 frames at 120 BPM), the clip seen from a variant's offset.
Json small_render(int variant) {
    Json doc = komposition_doc(120, 30, 96, 54);
    add_source(doc, "clip", "clip.mp4", "video", (variant % 10) * 0.5);
    add_segment(doc, "a", "clip", 0, 1);
    add_segment(doc, "b", "clip", 1, 1);
    return doc;
}

TEST(WorkflowEngine, NoStepSucceedsTwiceUnderFourWorkersOnTwentyExecutions) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    std::vector<std::string> ids;
    for (int i = 0; i < 20; ++i) {
        auto doc = small_render(i);
        doc["bpm"] = 120 + i;  // every execution renders different pieces: no cache hits
        const auto k = write_doc(dir, doc, "k" + std::to_string(i) + ".json");
        ids.push_back(submit(k, dir / ("out" + std::to_string(i) + ".mp4")));
    }
    std::vector<std::unique_ptr<WorkerProcess>> workers;
    for (int w = 0; w < 4; ++w) {
        workers.push_back(std::make_unique<WorkerProcess>(
            "racer-" + std::to_string(w), dir / ("w" + std::to_string(w) + ".log"),
            std::vector<std::string>{"--lease", "1"}));
    }
    std::set<std::string> workers_used;
    for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(watch(ids[i]).exit_code, 0) << ids[i];
        const auto status = status_of(ids[i]);
        for (const auto& step : status["steps"]) {
            const auto name = step["name"].get<std::string>();
            EXPECT_EQ(step_events(status, name, "step.succeeded").size(),
                      step["state"] == "succeeded" ? 1u : 0u)
                << ids[i] << " " << name;
            workers_used.insert(step["worker"].get<std::string>());
        }
        EXPECT_EQ(count_video_frames(dir / ("out" + std::to_string(i) + ".mp4")),
                  status["execution"]["result"]["frames"].get<std::int64_t>());
    }
    EXPECT_GE(workers_used.size(), 3u) << "the work was spread over the workers";
}

TEST(WorkflowEngine, TransientFailuresAreRetriedWithBackoffThenSucceed) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    const auto k = write_doc(dir, small_render(1));
    const auto id = submit(k, dir / "out.mp4");
    WorkerProcess w("flaky", dir / "w.log", {}, {"KOMPO_TEST_FAIL_STEPS=segment-1:2"},
                    KOMPO_TEST_BIN);
    ASSERT_EQ(watch(id).exit_code, 0);
    const auto status = status_of(id);
    const auto step = step_named(status, "segment-1");
    EXPECT_EQ(step["state"], "succeeded");
    EXPECT_EQ(step["attempts"], 3);
    EXPECT_EQ(step["failures"], 2);
    const auto retries = step_events(status, "segment-1", "step.retrying");
    ASSERT_EQ(retries.size(), 2u);
    const auto wait1 =
        retries[0]["detail"]["retry_at"].get<std::int64_t>() - retries[0]["at"].get<std::int64_t>();
    const auto wait2 =
        retries[1]["detail"]["retry_at"].get<std::int64_t>() - retries[1]["at"].get<std::int64_t>();
    EXPECT_GE(wait1, 1000);  // first backoff 2 s, jitter down to half
    EXPECT_GE(wait2, 2000);  // doubled
    EXPECT_EQ(count_video_frames(dir / "out.mp4"), 30);
}

TEST(WorkflowEngine, RetriesStopAtTheLimitAndTheExecutionFails) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    const auto k = write_doc(dir, small_render(1));
    const auto id = submit(k, dir / "out.mp4");
    WorkerProcess w("broken", dir / "w.log", {}, {"KOMPO_TEST_FAIL_STEPS=sound:100"},
                    KOMPO_TEST_BIN);
    const auto r = watch(id);
    EXPECT_EQ(r.exit_code, 5) << "an I/O failure, after its retries";
    const auto status = status_of(id);
    EXPECT_EQ(status["execution"]["state"], "failed");
    EXPECT_EQ(step_named(status, "sound")["attempts"], 4);
    EXPECT_NE(status["execution"]["error"].get<std::string>().find("injected failure"),
              std::string::npos);
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
}

// Fault injection is the test build's: the `kompo` users run reads no KOMPO_TEST_* variable,
// so with the hook set its render succeeds first time, where `kompo-test`'s retries once.
TEST(TestHooks, OnlyTheTestBuildHonoursTheFailureHook) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    const std::string hook = "KOMPO_TEST_FAIL_STEPS=segment-1:1";
    const auto release = status_of(render_id(write_doc(dir, small_render(1), "release.json"),
                                             dir / "release.mp4", KOMPO_BIN, hook));
    EXPECT_EQ(step_named(release, "segment-1")["attempts"], 1);
    EXPECT_EQ(step_named(release, "segment-1")["failures"], 0);
    EXPECT_TRUE(step_events(release, "segment-1", "step.retrying").empty());
    EXPECT_EQ(count_video_frames(dir / "release.mp4"), 30);

    // Another window of the clip (variant 1's segments end at 1.5 s): nothing cached.
    const auto tested = status_of(render_id(write_doc(dir, small_render(5), "tested.json"),
                                            dir / "tested.mp4", KOMPO_TEST_BIN, hook));
    EXPECT_EQ(step_named(tested, "segment-1")["attempts"], 2);
    EXPECT_EQ(step_named(tested, "segment-1")["failures"], 1);
    EXPECT_EQ(count_video_frames(dir / "tested.mp4"), 30);
}

// `kompo worker` reads the same configuration as `kompo serve`: a setting from the file
// (--config), then one from the environment over it. workers.chunk_seconds is seen in the
// plan: an 8 s segment cut into 2 s chunks, then into 4 s ones.
TEST(WorkerSettings, KompoWorkerReadsTheConfigFileAndTheEnvironment) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    std::ofstream(dir / "kompo.json") << R"({"workers": {"chunk_seconds": 2}})";
    const auto config =
        json::parse(kompo({"config", "--config", (dir / "kompo.json").string()}).out);
    EXPECT_EQ(config["settings"]["workers.chunk_seconds"]["value"], 2);
    EXPECT_EQ(config["settings"]["workers.chunk_seconds"]["from"], "file");

    const auto eight_seconds = [&](int variant) {
        Json doc = komposition_doc(120, 30, 96, 54);
        add_source(doc, "clip", "clip.mp4", "video", variant * 0.5);
        add_segment(doc, "long", "clip", 0, 16);
        return write_doc(dir, doc, "k" + std::to_string(variant) + ".json");
    };
    const auto from_file = submit(eight_seconds(1), dir / "file.mp4");
    {
        WorkerProcess w("configured", dir / "w1.log", {"--config", (dir / "kompo.json").string()},
                        {}, KOMPO_BIN, false);
        ASSERT_EQ(watch(from_file).exit_code, 0);
    }
    EXPECT_EQ(count_steps(status_of(from_file), "segment", "succeeded"), 4);
    EXPECT_EQ(count_video_frames(dir / "file.mp4"), 240);

    const auto from_environment = submit(eight_seconds(2), dir / "environment.mp4");
    {
        WorkerProcess w("environment", dir / "w2.log", {"--config", (dir / "kompo.json").string()},
                        {"KOMPO_WORKERS_CHUNK_SECONDS=4"}, KOMPO_BIN, false);
        ASSERT_EQ(watch(from_environment).exit_code, 0);
    }
    EXPECT_EQ(count_steps(status_of(from_environment), "segment", "succeeded"), 2);
    EXPECT_EQ(count_video_frames(dir / "environment.mp4"), 240);
}

TEST(WorkflowEngine, BadInputFailsAtOnceWithoutRetry) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 2, 160, 90);
    Json doc = komposition_doc(120, 30, 96, 54);
    add_source(doc, "clip", "clip.mp4", "video");
    add_segment(doc, "late", "clip", 10, 2);  // starts at 5 s of a 2 s clip
    const auto id = submit(write_doc(dir, doc), dir / "out.mp4");
    WorkerProcess w("w", dir / "w.log");
    const auto r = watch(id);
    EXPECT_EQ(r.exit_code, 4) << r.out;
    const auto status = status_of(id);
    EXPECT_EQ(step_named(status, "plan")["state"], "failed");
    EXPECT_EQ(step_named(status, "plan")["attempts"], 1);
    EXPECT_NE(status["execution"]["error"].get<std::string>().find("segments[0]"),
              std::string::npos)
        << status["execution"]["error"];
}

TEST(WorkflowEngine, CancelStopsTheRunningStepAndFreesTheWorker) {
    const auto dir = scratch_dir();
    make_colour_image(dir / "still.png", "red", 640, 360);
    Json doc = komposition_doc(60, 30, 1280, 720);
    add_source(doc, "still", "still.png", "image");
    add_segment(doc, "long", "still", 0, 120);  // two minutes of 720p
    const auto id = submit(write_doc(dir, doc), dir / "out.mp4");
    WorkerProcess w("w", dir / "w.log");
    wait_for_status(id, [](const json& s) {
        for (const auto& step : s["steps"]) {
            if (step["kind"] == "segment" && step["frames_done"] > 0) return true;
        }
        return false;
    });
    const auto cancel = kompo({"cancel", id});
    EXPECT_EQ(cancel.exit_code, 0);
    EXPECT_EQ(cancel.out, id + ": cancelled\n");
    EXPECT_EQ(watch(id).exit_code, 130);
    const auto status = status_of(id);
    EXPECT_EQ(step_named(status, "segment-1")["state"], "cancelled");
    EXPECT_LT(step_named(status, "segment-1")["frames_done"].get<int>(), 3600);

    // The worker dropped the cancelled step: it takes the next execution at once.
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    const auto next = submit(write_doc(dir, small_render(2), "small.json"), dir / "s.mp4");
    EXPECT_EQ(watch(next).exit_code, 0);
    EXPECT_FALSE(fs::exists(dir / "out.mp4"));
    w.signal(SIGTERM);
    EXPECT_EQ(w.wait_exit(), 0);
}

TEST(WorkflowEngine, SubmitWithAnIdempotencyKeyQueuesOnce) {
    const auto dir = scratch_dir();
    make_numbered_clip(dir / "clip.mp4", 12, 160, 90);
    const auto k = write_doc(dir, small_render(1));
    const auto a = submit(k, dir / "out.mp4", {"--idempotency-key", "upload-42"});
    const auto b = submit(k, dir / "out.mp4", {"--idempotency-key", "upload-42"});
    const auto c = submit(k, dir / "out.mp4");
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_EQ(status_of(a)["execution"]["state"], "queued");
}

}  // namespace
}  // namespace kompo::test
