// Chaos: four `kompo worker` processes of mixed class share a PostgreSQL store and render
// twelve small kompositions while a driver SIGTERMs (preempts) and SIGKILLs (crashes)
// random workers and starts new ones. Every render must succeed frame-exact, no step may
// succeed twice, and every resumed attempt must start from its step's last checkpoint.
// Label "chaos" (tests/CMakeLists.txt): run in the release build only. The driver's
// choices come from a seeded generator; the seed is printed (KOMPO_CHAOS_SEED repeats it).
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <thread>

#include "support/postgres_server.hpp"
#include "workflow_support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

constexpr int kRenders = 12;
constexpr int kSegments = 4;  // one beat each at 120 BPM, 30 fps: 15 frames
constexpr int kFrames = 15 * kSegments;
constexpr int kDisruptions = 10;          // signals the driver sends before letting the rest finish
constexpr double kCheckpointSeconds = 1;  // WorkerProcess's quick settings
constexpr double kLeaseSeconds = 2;

struct StoreEnvironment {
    explicit StoreEnvironment(const std::string& url) { setenv("KOMPO_STORE", url.c_str(), 1); }
    ~StoreEnvironment() { unsetenv("KOMPO_STORE"); }
};

// Komposition k: its own 2 s clip at 160x90, frames numbered from 100 k (so no piece of
// one is found in the cache of another), cut into one-beat segments.
fs::path small_render(const fs::path& dir, int k) {
    const auto name = "clip" + std::to_string(k) + ".mp4";
    make_numbered_clip(dir / name, 2, 160, 90, "30", 100 * k);
    Json doc = komposition_doc(120, 30, 160, 90);
    add_source(doc, "clip", name, "video");
    add_source(doc, "song", "song.wav", "audio");
    for (int i = 0; i < kSegments; ++i) add_segment(doc, "s" + std::to_string(i), "clip", i, 1);
    return write_doc(dir, doc, "k" + std::to_string(k) + ".json");
}

unsigned chaos_seed() {
    if (const char* given = std::getenv("KOMPO_CHAOS_SEED")) return std::stoul(given);
    return std::random_device{}();
}

class Fleet {
  public:
    Fleet(const fs::path& dir, const std::string& url) : dir_(dir), url_(url) {
        for (const char* worker_class : {"preemptible", "preemptible", "preemptible", "regular"}) {
            classes_.push_back(worker_class);
            workers_.push_back(start(worker_class));
        }
    }

    // Preempts (SIGTERM: checkpoint and hand back) or crashes (SIGKILL) worker `i`, waits
    // for it to end, and starts a new worker of its class in its place.
    void disrupt(std::size_t i, int sig) {
        workers_[i]->signal(sig);
        const int exit_code = workers_[i]->wait_exit();
        if (sig == SIGTERM) {
            EXPECT_EQ(exit_code, 0) << workers_[i]->id() << " after SIGTERM";
        }
        workers_[i] = start(classes_[i]);
    }

    std::size_t size() const { return workers_.size(); }

    // The worker now called `id`, if it is one of ours.
    std::optional<std::size_t> index_of(const std::string& id) const {
        for (std::size_t i = 0; i < workers_.size(); ++i) {
            if (workers_[i]->id() == id) return i;
        }
        return std::nullopt;
    }

  private:
    std::unique_ptr<WorkerProcess> start(const std::string& worker_class) {
        const auto id = "chaos-" + worker_class + "-" + std::to_string(++started_);
        return std::make_unique<WorkerProcess>(
            id, dir_ / (id + ".log"),
            std::vector<std::string>{"--store", url_, "--class", worker_class});
    }

    fs::path dir_;
    std::string url_;
    std::vector<std::string> classes_;
    std::vector<std::unique_ptr<WorkerProcess>> workers_;
    int started_ = 0;
};

std::vector<std::string> query(const PostgresServer& server, const std::string& url,
                               const std::string& sql) {
    const auto r = run({(server.binaries() / "psql").string(), url, "--tuples-only", "--no-align",
                        "--command", sql});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> lines;
    std::istringstream text(r.out);
    for (std::string line; std::getline(text, line);) lines.push_back(line);
    return lines;
}

std::int64_t unfinished(const PostgresServer& server, const std::string& url) {
    const auto rows =
        query(server, url, "SELECT count(*) FROM executions WHERE state IN ('queued', 'running')");
    return rows.empty() ? 0 : std::stoll(rows[0]);
}

// A worker to disrupt: one running a step when there is one, so the signal hits work.
std::size_t pick_victim(const PostgresServer& server, const std::string& url, const Fleet& fleet,
                        std::mt19937& random) {
    std::vector<std::size_t> busy;
    for (const auto& id : query(server, url,
                                "SELECT DISTINCT worker_id FROM steps WHERE state = 'running' "
                                "ORDER BY worker_id")) {
        if (const auto i = fleet.index_of(id)) busy.push_back(*i);
    }
    const auto pick = random();
    return busy.empty() ? pick % fleet.size() : busy[pick % busy.size()];
}

// Each attempt after the first starts from the frames of the step's last checkpoint
// before it: what was lost is at most what came after that checkpoint.
void expect_resumed_from_checkpoints(const json& status) {
    for (const auto& step : status["steps"]) {
        const std::string name = step["name"];
        std::int64_t saved = 0;
        for (const auto& e : status["events"]) {
            if (e["step"] != name) continue;
            if (e["type"] == "step.checkpoint") saved = e["detail"]["frames_done"];
            if (e["type"] == "step.running") {
                EXPECT_EQ(e["detail"]["from_frame"].get<std::int64_t>(), saved)
                    << name << " attempt " << e["detail"]["attempt"];
            }
        }
        // In time: each lost attempt loses at most a checkpoint interval and the heartbeat
        // that would have carried the next one (well inside a lease).
        const int lost_attempts = std::max(0, step["attempts"].get<int>() - 1);
        EXPECT_LE(step["worker_seconds"]["lost"].get<double>(),
                  lost_attempts * (kCheckpointSeconds + kLeaseSeconds) + 0.5)
            << name;
    }
}

TEST(WorkflowChaos, MixedFleetUnderPreemptionsAndCrashesRendersEverythingExactlyOnce) {
    const auto seed = chaos_seed();
    std::printf("chaos seed %u (KOMPO_CHAOS_SEED=%u repeats the driver's choices)\n", seed, seed);
    std::mt19937 random(seed);
    const auto dir = scratch_dir();
    PostgresServer server;
    const auto url = server.create_database("kompost");
    StoreEnvironment environment(url);
    make_click_track(dir / "song.wav", 120, 2);
    std::vector<std::string> ids;
    for (int k = 0; k < kRenders; ++k) {
        const auto out = dir / ("out" + std::to_string(k) + ".mp4");
        ids.push_back(submit(small_render(dir, k), out, {"--store", url}));
    }

    Fleet fleet(dir, url);
    int disruptions = 0;
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(4);
    while (unfinished(server, url) > 0) {
        ASSERT_LT(std::chrono::steady_clock::now(), give_up)
            << "renders still running (seed " << seed << ")";
        // The driver's pace (not a wait for anything): a disruption every 0.2-0.6 s.
        std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 400));
        if (disruptions == kDisruptions) continue;
        const auto victim = pick_victim(server, url, fleet, random);
        fleet.disrupt(victim, random() % 2 ? SIGTERM : SIGKILL);
        ++disruptions;
    }

    double preemptible_seconds = 0;
    for (int k = 0; k < kRenders; ++k) {
        const auto status = status_of(ids[k]);
        ASSERT_EQ(status["execution"]["state"], "succeeded") << ids[k] << " (seed " << seed << ")";
        // Each step succeeded exactly once, or was found in the cache (the soundtrack,
        // the same in every komposition) and never ran.
        for (const auto& step : status["steps"]) {
            const auto successes = step_events(status, step["name"], "step.succeeded").size();
            const std::size_t expected = step["state"] == "succeeded" ? 1 : 0;
            EXPECT_EQ(successes, expected) << ids[k] << " " << step["name"] << " " << step["state"]
                                           << " (seed " << seed << ")";
            EXPECT_TRUE(step["state"] == "succeeded" || step["state"] == "cached") << step;
        }
        expect_resumed_from_checkpoints(status);
        preemptible_seconds += status["cost"]["preemptible_seconds"].get<double>();
        const auto numbers = read_frame_numbers(dir / ("out" + std::to_string(k) + ".mp4"));
        ASSERT_EQ(numbers.size(), static_cast<std::size_t>(kFrames)) << ids[k];
        int wrong = 0;
        for (int i = 0; i < kFrames; ++i) wrong += numbers[i] != 100 * k + i;
        EXPECT_EQ(wrong, 0) << ids[k] << ": frames showing the wrong source frame";
    }
    std::printf("%d disruptions\n", disruptions);
    EXPECT_GE(disruptions, 3) << "the renders ended before the chaos began";
    EXPECT_GT(preemptible_seconds, 0) << "the preemptible workers rendered nothing";
}

}  // namespace
}  // namespace kompo::test
