// Beyond one machine, with real processes on one PostgreSQL server this run starts: two
// `kompo serve` replicas whose WebSocket clients each follow a render the other accepted
// and a separate `kompo worker` runs; and the database restarted in the middle of a
// render, which the server and the worker ride out.
#include <chrono>
#include <fstream>
#include <map>
#include <optional>

#include "e2e/server_support.hpp"
#include "support/postgres_server.hpp"
#include "workflow_support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Every process of the test (servers, worker, CLI) shares the data folder KOMPO_DATA_DIR
// names (media, artifacts) and the database KOMPO_STORE names.
class Replicas : public ::testing::Test {
  protected:
    void SetUp() override {
        scratch_dir();
        data = std::getenv("KOMPO_DATA_DIR");
        fs::create_directories(data / "media" / "default");
    }
    // Serves the data folder with no workers of its own: the worker process runs renders.
    ServerProcess replica() const { return ServerProcess(data, {"--workers", "0"}); }
    WorkerProcess worker(const std::string& id) const {
        return WorkerProcess(id, data / (id + ".log"));
    }
    // The render's output, downloaded through `port`: its video frames.
    std::int64_t output_frames(int port, const std::string& id) const {
        const auto video = http_get(port, "/api/v1/renders/" + id + "/output");
        EXPECT_EQ(video.status, 200);
        const auto file = data / (id + ".mp4");
        std::ofstream(file, std::ios::binary) << video.body;
        return count_video_frames(file);
    }

    PostgresServer postgres;
    std::string url = postgres.create_database("kompost");
    StoreEnvironment environment{url};
    fs::path data;
};

bool ends(const json& event, const std::string& id) {
    return event["render"] == id &&
           (event["type"] == "execution.succeeded" || event["type"] == "execution.failed");
}

// The render's events a client of the all-renders feed receives until it ends: type → how many.
std::map<std::string, int> follow(WsClient& ws, const std::string& id) {
    std::map<std::string, int> types;
    for (;;) {
        const auto event = json::parse(ws.expect_text(120s));
        if (event["render"] == id) ++types[event["type"].get<std::string>()];
        if (ends(event, id)) return types;
    }
}

// 8 beats at 120 BPM, 30 fps: 4 s, 120 frames.
TEST_F(Replicas, AClientOfEitherReplicaFollowsARenderTheOtherAccepted) {
    make_colour_clip(data / "media" / "default" / "clip.mp4", "blue", 5, 320, 180);
    auto a = replica();
    auto b = replica();
    WsClient on_a(a.port(), "/api/v1/events?after=latest");
    WsClient on_b(b.port(), "/api/v1/events?after=latest");
    const auto k = clip_komposition("song", {{"A", 0, 4}, {"B", 4, 8}});
    ASSERT_EQ(http_post_json(b.port(), "/api/v1/kompositions", k).status, 201);
    const auto started = http_post_json(b.port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto id = started.json()["id"].get<std::string>();
    const auto runs = worker("worker");

    const auto seen_on_a = follow(on_a, id);
    EXPECT_EQ(seen_on_a.count("execution.succeeded"), 1u);
    EXPECT_GE(seen_on_a.at("step.succeeded"), 5);  // probe, plan, segments, join, mux...
    // Every step seen starting and ending (frame progress in between is thinned to one
    // event per 250 ms, so how many a fast step sends depends on the machine's speed).
    EXPECT_EQ(seen_on_a.at("step.running"), seen_on_a.at("step.succeeded"));
    EXPECT_EQ(follow(on_b, id), seen_on_a);  // the same render, on the replica that took it
    EXPECT_EQ(http_get(a.port(), "/api/v1/renders/" + id).json()["progress"]["frames_done"], 120);
    EXPECT_EQ(output_frames(a.port(), id), 120);
}

// The steps that succeeded, by name: how many times each.
std::map<std::string, int> successes(const json& history) {
    std::map<std::string, int> count;
    for (const auto& event : history) {
        if (event["type"] == "step.succeeded") ++count[event["step"].get<std::string>()];
    }
    return count;
}

std::int64_t wall_millis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// 16 one-beat segments at 640x360 (240 frames, 8 s), one worker slot: the segments run one
// after another, so the database goes away with most of the render still to do.
TEST_F(Replicas, TheDatabaseRestartedMidRenderAndEverythingCompletesOnce) {
    // Smaller than the output, so every segment is scaled and encoded (not stream copied).
    make_colour_clip(data / "media" / "default" / "clip.mp4", "green", 9, 320, 180);
    std::vector<ClipSegment> segments;
    for (int i = 0; i < 16; ++i) segments.push_back({"s" + std::to_string(i), i, i + 1});
    auto server = replica();
    const auto runs = worker("worker");
    ASSERT_EQ(http_post_json(server.port(), "/api/v1/kompositions",
                             clip_komposition("song", segments, 640, 360))
                  .status,
              201);
    WsClient feed(server.port(), "/api/v1/events?after=latest");
    const auto id = http_post_json(server.port(), "/api/v1/renders", {{"komposition", "song"}})
                        .json()["id"]
                        .get<std::string>();
    for (;;) {  // until the segments have begun
        const auto event = json::parse(feed.expect_text(120s));
        const auto step = event["step"].get<std::string>();
        if (event["type"] == "step.running" && step.starts_with("segment-")) break;
    }
    const auto stopped_at = wall_millis();
    postgres.restart();

    const auto render = wait_for_render(server.port(), id, {"succeeded", "failed"}, 120s);
    ASSERT_EQ(render["state"], "succeeded") << render.dump();
    EXPECT_EQ(output_frames(server.port(), id), 240);
    const auto history =
        http_get(server.port(), "/api/v1/renders/" + id + "/history").json()["events"];
    EXPECT_GT(history.back()["at"].get<std::int64_t>(), stopped_at)
        << "the render ended before the database went away: nothing was tested";
    auto succeeded = successes(history);
    for (const auto& [step, times] : succeeded) EXPECT_EQ(times, 1) << step;
    for (const auto& step : render["steps"]) {
        if (step["state"] == "succeeded") {
            EXPECT_EQ(succeeded[step["name"]], 1) << step.dump();
        }
    }
    EXPECT_GE(succeeded.size(), 16u + 2u);  // the segments, probe and plan at least
}

}  // namespace
}  // namespace kompo::test
