// /api/v1/renders over a real server with its in-process workers: a stored komposition
// rendered from start to a downloadable video, Range requests, idempotency, cancel, paging.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "e2e/security_support.hpp"
#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

// 8 beats at 120 bpm: 4 s, 120 frames at 30 fps, from a clip in the tenant's media folder.
json komposition(const std::string& id) {
    return clip_komposition(id, {{"A", 0, 8}});
}

class ServerRenders : public ::testing::Test {
  protected:
    void SetUp() override {
        data = scratch_dir() / "data";
        fs::create_directories(data / "media" / "default");
        make_colour_clip(data / "media" / "default" / "clip.mp4", "red", 6, 320, 180);
        server.emplace(data, std::vector<std::string>{"--workers", "2"});
        ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition("song")).status, 201);
    }
    int port() const { return server->port(); }
    // `kompo status --watch` on the server's store follows the render until it ends.
    void wait_until_ended(const std::string& id) {
        kompo({"status", id, "--watch", "--data-dir", data.string()});
    }

    fs::path data;
    std::optional<ServerProcess> server;
};

TEST_F(ServerRenders, RendersAStoredKompositionToADownloadableVideo) {
    const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto id = started.json()["id"].get<std::string>();
    EXPECT_EQ(started.header("location"), "/api/v1/renders/" + id);
    wait_until_ended(id);

    const auto render = http_get(port(), "/api/v1/renders/" + id).json();
    ASSERT_EQ(render["state"], "succeeded") << render.dump();
    EXPECT_EQ(render["komposition"], "song");
    EXPECT_EQ(render["progress"]["frames_done"], 120);
    EXPECT_FALSE(render["steps"].empty());
    // `kompo status` says what it cost; the server's in-process workers are regular.
    const auto shown = kompo({"status", id, "--data-dir", data.string()});
    EXPECT_NE(shown.out.find("\ncost "), std::string::npos) << shown.out;
    EXPECT_NE(shown.out.find(" 0.0 s on preemptible workers, lost 0.0 s"), std::string::npos)
        << shown.out;

    const auto video = http_get(port(), "/api/v1/renders/" + id + "/output");
    ASSERT_EQ(video.status, 200);
    EXPECT_EQ(video.header("content-type"), "video/mp4");
    EXPECT_EQ(video.header("accept-ranges"), "bytes");
    const auto file = data.parent_path() / "downloaded.mp4";
    std::ofstream(file, std::ios::binary) << video.body;
    EXPECT_EQ(count_video_frames(file), 120);

    const auto size = video.body.size();
    const auto part =
        http_get(port(), "/api/v1/renders/" + id + "/output", {{"Range", "bytes=100-199"}});
    EXPECT_EQ(part.status, 206);
    EXPECT_EQ(part.body, video.body.substr(100, 100));
    EXPECT_EQ(part.header("content-range"), "bytes 100-199/" + std::to_string(size));
    const auto tail =
        http_get(port(), "/api/v1/renders/" + id + "/output", {{"Range", "bytes=-10"}});
    EXPECT_EQ(tail.status, 206);
    EXPECT_EQ(tail.body, video.body.substr(size - 10));
    const auto outside = http_get(port(), "/api/v1/renders/" + id + "/output",
                                  {{"Range", "bytes=" + std::to_string(size) + "-"}});
    EXPECT_EQ(outside.status, 416);
    EXPECT_EQ(outside.header("content-range"), "bytes */" + std::to_string(size));

    const auto history = http_get(port(), "/api/v1/renders/" + id + "/history").json()["events"];
    ASSERT_FALSE(history.empty());
    EXPECT_EQ(history.front()["seq"], 1);
    EXPECT_EQ(history.back()["type"], "execution.succeeded");
}

// The in-process workers log through the server's JSON log: every step of the render has
// a line when it starts and one when it succeeds, each with the execution and step ids.
// A text member of a log line ("" when absent or not text).
std::string text_of(const json& entry, const char* key) {
    const auto member = entry.is_object() ? entry.find(key) : entry.end();
    return member != entry.end() && member->is_string() ? member->get<std::string>() : "";
}

TEST_F(ServerRenders, InProcessWorkersLogEachStepAsAJsonLineWithItsIds) {
    const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto id = started.json()["id"].get<std::string>();
    wait_until_ended(id);
    const auto render = http_get(port(), "/api/v1/renders/" + id).json();
    ASSERT_EQ(render["state"], "succeeded") << render.dump();
    // A step's end is logged just after it is stored, so the last may come after the
    // render ended: wait for that line of each step that ran.
    for (const auto& step : render["steps"]) {
        if (step["state"] != "succeeded") continue;
        const auto name = step["name"].get<std::string>();
        EXPECT_TRUE(server->wait_for_log(
            [&](const std::string& line) {
                const auto entry = json::parse(line, nullptr, false);
                return entry.is_object() && entry.value("execution", "") == id &&
                       entry.value("step", "") == name &&
                       entry.value("msg", "") == "step succeeded";
            },
            std::chrono::seconds(30)))
            << name;
    }
    std::map<std::string, std::set<std::string>> logged;  // step → messages
    for (const auto& line : server->stdout_lines()) {
        const auto entry = json::parse(line, nullptr, false);
        if (text_of(entry, "execution") != id) continue;
        EXPECT_EQ(text_of(entry, "level"), "info") << line;
        EXPECT_FALSE(text_of(entry, "worker").empty()) << line;
        logged[text_of(entry, "step")].insert(text_of(entry, "msg"));
    }
    std::size_t run = 0;
    for (const auto& step : render["steps"]) {
        if (step["state"] != "succeeded") continue;
        ++run;
        const auto name = step["name"].get<std::string>();
        EXPECT_EQ(logged[name], (std::set<std::string>{"step started", "step succeeded"})) << name;
    }
    EXPECT_GE(run, 5u) << render.dump();  // probe, plan, a segment, join, sound, mux...
}

TEST_F(ServerRenders, TheSameIdempotencyKeyStartsOneRender) {
    const auto first = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}},
                                      {{"Idempotency-Key", "click-1"}});
    const auto again = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}},
                                      {{"Idempotency-Key", "click-1"}});
    ASSERT_EQ(first.status, 202);
    EXPECT_EQ(first.json()["id"], again.json()["id"]);
    const auto listed = http_get(port(), "/api/v1/renders?komposition=song").json()["items"];
    EXPECT_EQ(listed.size(), 1u);
    wait_until_ended(first.json()["id"]);
}

TEST_F(ServerRenders, ErrorsNameWhatIsWrong) {
    const auto unknown = http_post_json(port(), "/api/v1/renders", {{"komposition", "nope"}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_EQ(unknown.json()["field"], "komposition");
    EXPECT_EQ(http_post_json(port(), "/api/v1/renders", json::object()).status, 422);
    EXPECT_EQ(http_get(port(), "/api/v1/renders/0123456789abcdef").status, 404);
    EXPECT_EQ(http_get(port(), "/api/v1/renders?state=sleeping").status, 400);
}

TEST_F(ServerRenders, ListsNewestFirstAcrossPagesAndCancels) {
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(
            http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}, {"to_beat", 4 + i}})
                .json()["id"]);
    }
    const auto cancelled =
        http_post_json(port(), "/api/v1/renders/" + ids[2] + "/cancel", json::object());
    EXPECT_EQ(cancelled.status, 200);
    std::vector<std::string> seen;
    std::string before;
    do {
        const auto page = http_get(port(), "/api/v1/renders?limit=2" +
                                               (before.empty() ? "" : "&before=" + before))
                              .json();
        for (const auto& item : page["items"]) seen.push_back(item["id"]);
        before = page["next"].is_null() ? "" : page["next"].get<std::string>();
    } while (!before.empty() && seen.size() < 10);
    EXPECT_EQ(seen, (std::vector<std::string>{ids[2], ids[1], ids[0]}));
    for (const auto& id : ids) wait_until_ended(id);
    EXPECT_EQ(http_get(port(), "/api/v1/renders/" + ids[2]).json()["state"], "cancelled");
    EXPECT_EQ(http_get(port(), "/api/v1/renders/" + ids[2] + "/output").status, 409);
}

// Source urls of a server render resolve only inside the tenant's media folder: every way
// out fails the render at its probe, naming the source, and the errors show media by name,
// never where the server keeps them. The outside file is a real clip: a render that read it
// would succeed.
TEST_F(ServerRenders, SourceUrlsLeadingOutOfTheTenantsMediaFailTheRender) {
    const auto outside = data.parent_path() / "outside.mp4";
    make_colour_clip(outside, "green", 6, 320, 180);
    fs::create_symlink(outside, data / "media" / "default" / "link.mp4");
    fs::create_directories(data / "media" / "other");
    make_colour_clip(data / "media" / "other" / "theirs.mp4", "blue", 6, 320, 180);
    const std::vector<std::string> ways_out{"../../outside.mp4",
                                            "file://../../outside.mp4",
                                            outside.string(),
                                            "file://" + outside.string(),
                                            "link.mp4",
                                            "../other/theirs.mp4",
                                            "sub/../../other/theirs.mp4",
                                            "..\\..\\outside.mp4",
                                            std::string(300, 'a') + ".mp4",
                                            "http://127.0.0.1:1/clip.mp4",
                                            "deleted.mp4"};
    for (std::size_t i = 0; i < ways_out.size(); ++i) {
        const auto id = "out" + std::to_string(i);
        const auto doc = clip_komposition(id, {{"A", 0, 8}}, 320, 180, ways_out[i]);
        ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", doc).status, 201) << ways_out[i];
        const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", id}});
        ASSERT_EQ(started.status, 202) << started.body;
        const auto render = wait_for_render(port(), started.json()["id"], {"succeeded", "failed"});
        EXPECT_EQ(render["state"], "failed") << ways_out[i] << ": " << render.dump();
        std::string errors;
        for (const auto& step : render["steps"]) errors += step["error"].get<std::string>() + "\n";
        EXPECT_NE(errors.find("sources[0] (\"clip\").url"), std::string::npos)
            << ways_out[i] << ": " << errors;
        EXPECT_EQ(errors.find(data.string()), std::string::npos) << ways_out[i] << ": " << errors;
    }
}

// A render that fails after the probe (here the plan: a window starting past the end of
// the 6-s clip) says so to the tenant with the medium's name, as every later step would.
TEST_F(ServerRenders, AFailedRendersErrorNamesTheMediumNotTheServersFolder) {
    auto doc = komposition("late");
    doc["segments"][0]["source_timing"] = {{"original_start", 30}, {"original_duration", 4}};
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", doc).status, 201);
    const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", "late"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto render = wait_for_render(port(), started.json()["id"], {"succeeded", "failed"});
    ASSERT_EQ(render["state"], "failed") << render.dump();
    const auto error = render["error"].get<std::string>();
    EXPECT_NE(error.find("past the end of clip.mp4 (6.000 s long)"), std::string::npos) << error;
    EXPECT_EQ(render.dump().find(data.string()), std::string::npos) << render.dump();
    const auto events =
        http_get(port(), "/api/v1/renders/" + render["id"].get<std::string>() + "/events");
    ASSERT_EQ(events.status, 200) << events.body;
    EXPECT_NE(events.body.find("clip.mp4 (6.000 s long)"), std::string::npos) << events.body;
    EXPECT_EQ(events.body.find(data.string()), std::string::npos) << events.body;
}

TEST_F(ServerRenders, MetricsCountRendersStepsCacheAndRequests) {
    const auto first = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(wait_for_render(port(), first.json()["id"])["state"], "succeeded");
    // The same komposition again: every piece comes from the cache.
    const auto again = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(wait_for_render(port(), again.json()["id"])["state"], "succeeded");
    // Read as Prometheus would: with a worker token of a platform operator.
    const auto ops = add_account(data, "ops", "operator", "default");
    const auto worker =
        http_post_json(port(), "/api/v1/auth/tokens", {{"kind", "worker"}}, bearer(ops.token));
    ASSERT_EQ(worker.status, 201) << worker.body;
    const auto metrics = http_get(port(), "/metrics", bearer(worker.json()["token"]));
    ASSERT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.header("content-type"), "text/plain; version=0.0.4");
    const auto& text = metrics.body;
    for (const std::string line :
         {"kompo_executions{state=\"succeeded\"} 2", "kompo_queue_depth 0", "kompo_steps_running 0",
          "kompo_render_seconds_count 2", "kompo_workers{class=\"regular\"} 1",
          "kompo_step_seconds_count{kind=\"segment\"} 1",
          "kompo_http_requests_total{route=\"/api/v1/renders\",method=\"POST\",status=\"202\"} "
          "2",
          "kompo_http_request_seconds_count{route=\"/api/v1/renders\",status=\"202\"} 2"}) {
        EXPECT_NE(text.find(line + "\n"), std::string::npos) << line << "\n" << text;
    }
    EXPECT_NE(text.find("kompo_cache_hits_total "), std::string::npos);
    EXPECT_EQ(text.find("kompo_cache_hits_total 0\n"), std::string::npos) << text;
    EXPECT_NE(text.find("kompo_cache_misses_total "), std::string::npos);
    EXPECT_EQ(text.find("kompo_cache_misses_total 0\n"), std::string::npos) << text;
    // The re-render reused the muxed video (what its output serves) and nothing below it.
    const auto id = again.json()["id"].get<std::string>();
    const auto answer = http_get(port(), "/api/v1/renders/" + id);
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto render = answer.json();
    std::vector<std::string> cached;
    for (const auto& step : render["steps"]) {
        if (step["state"] == "cached") cached.push_back(step["kind"]);
    }
    EXPECT_EQ(cached, std::vector<std::string>{"mux"}) << render.dump(1);
    // What each cost: the server's in-process workers are regular; the re-render saved
    // what the muxed video and everything below it had cost the first render.
    const auto first_cost =
        http_get(port(), "/api/v1/renders/" + first.json()["id"].get<std::string>()).json()["cost"];
    EXPECT_GT(first_cost["regular_seconds"].get<double>(), 0) << first_cost;
    EXPECT_EQ(first_cost["preemptible_seconds"].get<double>(), 0) << first_cost;
    EXPECT_GT(first_cost["cost"].get<double>(), 0) << first_cost;
    EXPECT_DOUBLE_EQ(first_cost["cost"].get<double>(),
                     first_cost["all_regular_cost"].get<double>());
    const auto saved = render["cost"]["saved_seconds"].get<double>();
    EXPECT_GT(saved, 0) << render["cost"];
    EXPECT_LE(saved, first_cost["regular_seconds"].get<double>()) << render["cost"];
    EXPECT_NE(text.find("kompo_worker_seconds_total{class=\"preemptible\"} 0\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("kompo_worker_seconds_total{class=\"regular\"} "), std::string::npos);
    EXPECT_EQ(text.find("kompo_worker_seconds_total{class=\"regular\"} 0\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("kompo_cost_total{class=\"regular\"} "), std::string::npos) << text;
    EXPECT_NE(text.find("kompo_cache_saved_seconds_total "), std::string::npos) << text;
    EXPECT_EQ(text.find("kompo_cache_saved_seconds_total 0\n"), std::string::npos) << text;
    const auto video = http_get(port(), "/api/v1/renders/" + id + "/output");
    ASSERT_EQ(video.status, 200);
    ASSERT_GT(video.body.size(), 0u);
    EXPECT_NE(
        text.find("kompo_cache_bytes_saved_total " + std::to_string(video.body.size()) + "\n"),
        std::string::npos)
        << text;
}

// How far along a state is: a status read after an event must be at least as far along
// as that event says (a render that does not fail only moves forward).
int step_rank(const std::string& state) {
    if (state == "waiting") return 0;
    if (state == "ready" || state == "retrying") return 1;
    if (state == "running") return 2;
    return 3;  // cached, succeeded, failed, cancelled
}
int execution_rank(const std::string& state) {
    if (state == "queued") return 0;
    if (state == "running") return 1;
    return 2;
}

// The status is cached per (render, last event): after every event of the render, the
// next GET shows it (never an answer from before it), while the workers move it along.
TEST_F(ServerRenders, TheStatusShowsEveryEventAsSoonAsItIsRecorded) {
    const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto id = started.json()["id"].get<std::string>();
    const auto target = "/api/v1/renders/" + id;
    SseClient events(port(), target + "/events?after=0");
    std::set<std::string> bodies;
    int checked = 0;
    for (bool ended = false; !ended;) {
        const auto event = events.next(std::chrono::seconds(120));
        ASSERT_TRUE(event.has_value()) << "no event in 120 s; seen " << checked;
        const auto e = json::parse(event->data);
        const std::string type = e["type"];
        ended = type == "execution.succeeded" || type == "execution.failed";
        // Twice: the second answer comes from the cache unless another event came between.
        for (int again = 0; again < 2; ++again) {
            const auto reply = http_get(port(), target);
            ASSERT_EQ(reply.status, 200) << reply.body;
            bodies.insert(reply.body);
            const auto render = reply.json();
            const auto detail = e["detail"];
            if (type.starts_with("execution.")) {
                EXPECT_GE(execution_rank(render["state"]), execution_rank(detail["state"]))
                    << "event " << e.dump() << " not shown in " << reply.body;
                continue;
            }
            const auto& steps = render["steps"];
            const auto step = std::find_if(steps.begin(), steps.end(),
                                           [&](const json& s) { return s["name"] == e["step"]; });
            ASSERT_NE(step, steps.end()) << "event " << e.dump() << " not shown in " << reply.body;
            if (detail.contains("state")) {
                EXPECT_GE(step_rank((*step)["state"]), step_rank(detail["state"]))
                    << "event " << e.dump() << " not shown in " << reply.body;
            }
            if (type == "step.progress" && step_rank((*step)["state"]) < 3) {
                EXPECT_GE((*step)["frames_done"], detail["frames_done"])
                    << "event " << e.dump() << " not shown in " << reply.body;
            }
        }
        ++checked;
    }
    const auto render = http_get(port(), target).json();
    EXPECT_EQ(render["state"], "succeeded") << render.dump();
    EXPECT_EQ(render["progress"]["frames_done"], 120);
    EXPECT_GE(checked, 10);
    EXPECT_GE(bodies.size(), 2u);  // the answer changed as the render went on
}

// A cached answer is the bytes of a fresh one: the same after the server restarts with
// an empty cache. And however often the owner asked, another tenant still gets 404.
TEST_F(ServerRenders, CachedStatusIsByteIdenticalAndStillTenantChecked) {
    const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto id = started.json()["id"].get<std::string>();
    const auto target = "/api/v1/renders/" + id;
    wait_until_ended(id);
    const auto first = http_get(port(), target);
    const auto cached = http_get(port(), target);
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(cached.body, first.body);
    EXPECT_EQ(cached.header("content-type"), first.header("content-type"));

    const auto rival = add_account(data, "mallory", "admin", "rival").token;
    for (int i = 0; i < 3; ++i) {
        const auto refused = http_get(port(), target, bearer(rival));
        EXPECT_EQ(refused.status, 404) << refused.body;
        EXPECT_EQ(refused.json()["error"], "not_found");
        EXPECT_EQ(refused.body.find("\"steps\""), std::string::npos) << refused.body;
        EXPECT_EQ(http_get(port(), target).body, first.body);  // the owner's, cached
    }

    server.reset();
    server.emplace(data, std::vector<std::string>{"--workers", "0"});
    const auto fresh = http_get(port(), target);
    EXPECT_EQ(fresh.body, first.body);
    EXPECT_EQ(http_get(port(), target, bearer(rival)).status, 404);
}

}  // namespace
}  // namespace kompo::test
