// Live events over a real server: WebSocket and Server-Sent Events follow a real render,
// in order, and a client that reconnects with its cursor misses nothing, also when it
// missed more than one stream sends.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"
#include "support/ws_client.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using std::chrono::seconds;

json komposition() {
    return clip_komposition("song", {{"A", 0, 8}, {"B", 8, 16}});
}

class ServerEvents : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto data = scratch_dir() / "data";
        fs::create_directories(data / "media" / "default");
        make_numbered_clip(data / "media" / "default" / "clip.mp4", 10, 320, 180);
        server.emplace(data, std::vector<std::string>{"--workers", "2"}, server_env());
        ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition()).status, 201);
    }
    virtual std::map<std::string, std::string> server_env() const { return {}; }
    int port() const { return server->port(); }
    std::string start_render() {
        return http_post_json(port(), "/api/v1/renders", {{"komposition", "song"}}).json()["id"];
    }
    // Every event of the render, from the store's own log.
    json history(const std::string& id) {
        return http_get(port(), "/api/v1/renders/" + id + "/history").json()["events"];
    }
    std::optional<ServerProcess> server;
};

bool is_end(const json& event) {
    return event["type"] == "execution.succeeded" || event["type"] == "execution.failed";
}

// Every message of a stream the server has ended, in order.
std::vector<json> messages_of_ended(WsClient& ws) {
    std::vector<json> messages;
    try {
        while (auto text = ws.read_text(std::chrono::milliseconds(0))) {
            messages.push_back(json::parse(*text));
        }
    } catch (const std::runtime_error&) {  // ended, and every message was read
    }
    return messages;
}

std::vector<std::int64_t> seqs_of(const std::vector<json>& events, bool with_progress) {
    std::vector<std::int64_t> seqs;
    for (const auto& e : events) {
        if (with_progress || e["type"] != "step.progress") seqs.push_back(e["seq"]);
    }
    return seqs;
}

TEST_F(ServerEvents, WebSocketFollowsARenderToSucceededInOrder) {
    const auto id = start_render();
    WsClient ws(port(), "/api/v1/renders/" + id + "/events");
    std::vector<json> received;
    while (received.empty() || !is_end(received.back())) {
        received.push_back(json::parse(ws.expect_text(std::chrono::seconds(120))));
    }
    EXPECT_EQ(received.back()["type"], "execution.succeeded");
    EXPECT_TRUE(ws.wait_closed(std::chrono::seconds(10)));  // the stream ends with the render
    for (std::size_t i = 0; i < received.size(); ++i) {
        EXPECT_EQ(received[i]["seq"], static_cast<int>(i) + 1) << received[i];  // none missed
        EXPECT_EQ(received[i]["render"], id);
    }
    // Every transition of the log was delivered (only progress may be thinned).
    std::vector<std::string> expected, got;
    for (const auto& e : history(id)) {
        if (e["type"] != "step.progress")
            expected.push_back(e["type"].get<std::string>() + "/" + e["step"].get<std::string>());
    }
    for (const auto& e : received) {
        if (e["type"] != "step.progress")
            got.push_back(e["type"].get<std::string>() + "/" + e["step"].get<std::string>());
    }
    EXPECT_EQ(got, expected);
    EXPECT_NE(std::find(got.begin(), got.end(), "step.succeeded/join"), got.end());
}

TEST_F(ServerEvents, AClientThatReconnectsWithItsCursorMissesNothing) {
    const auto id = start_render();
    std::vector<json> received;
    {
        WsClient first(port(), "/api/v1/renders/" + id + "/events");
        for (int i = 0; i < 3; ++i) received.push_back(json::parse(first.expect_text(seconds(60))));
    }  // disconnects halfway
    const auto last = received.back()["seq"].get<int>();
    SseClient second(port(), "/api/v1/renders/" + id + "/events?after=" + std::to_string(last));
    while (!is_end(received.back())) {
        const auto event = second.next(seconds(120));
        ASSERT_TRUE(event.has_value());
        EXPECT_EQ(event->id, json::parse(event->data)["seq"].dump());
        received.push_back(json::parse(event->data));
    }
    const auto log = history(id);
    std::size_t at = 0;
    for (const auto& event : received) {
        // In order, no duplicates, and nothing but thinned progress skipped.
        while (at < log.size() && log[at]["seq"] != event["seq"]) {
            EXPECT_EQ(log[at]["type"], "step.progress") << log[at];
            ++at;
        }
        ASSERT_LT(at, log.size()) << event;
        ++at;
    }
    EXPECT_EQ(received.back()["type"], "execution.succeeded");
}

TEST_F(ServerEvents, TheAllRendersFeedResumesByGlobalId) {
    SseClient all(port(), "/api/v1/events");
    const auto id = start_render();
    std::int64_t last_id = 0;
    std::string first_type;
    while (true) {
        const auto event = all.next(seconds(120));
        ASSERT_TRUE(event.has_value());
        const auto data = json::parse(event->data);
        EXPECT_GT(data["id"].get<std::int64_t>(), last_id);
        last_id = data["id"];
        if (first_type.empty()) first_type = data["type"];
        if (data["render"] == id && is_end(data)) break;
    }
    EXPECT_EQ(first_type, "execution.queued");
    EXPECT_EQ(wait_for_render(port(), id)["state"], "succeeded");
}

// Reads the all-renders feed until `id` has ended; the events' global ids.
std::vector<std::int64_t> ids_until_end(WsClient& ws, const std::string& id,
                                        std::vector<std::int64_t> ids = {}) {
    while (true) {
        const auto data = json::parse(ws.expect_text(seconds(120)));
        ids.push_back(data["id"]);
        if (data["render"] == id && is_end(data)) return ids;
    }
}

// The all-renders feed over WebSocket: a client that leaves halfway and comes back with the
// last id it saw gets the rest, in order, without duplicates; exactly what a client that
// stayed got. `?after=latest` starts from now: none of what came before.
TEST_F(ServerEvents, TheAllRendersFeedOverWebSocketResumesByIdAndStartsLiveOnAsking) {
    WsClient stayed(port(), "/api/v1/events");
    const auto id = start_render();
    std::vector<std::int64_t> resumed;
    {
        WsClient left(port(), "/api/v1/events?after=0");
        for (int i = 0; i < 3; ++i) {
            resumed.push_back(json::parse(left.expect_text(seconds(60)))["id"]);
        }
    }
    WsClient back(port(), "/api/v1/events?after=" + std::to_string(resumed.back()));
    resumed = ids_until_end(back, id, resumed);
    const auto all = ids_until_end(stayed, id);
    EXPECT_EQ(resumed, all);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end()));
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());

    WsClient live(port(), "/api/v1/events?after=latest");
    const auto next = start_render();
    const auto first = json::parse(live.expect_text(seconds(60)));
    EXPECT_EQ(first["render"], next);
    EXPECT_EQ(first["type"], "execution.queued");
    EXPECT_GT(first["id"].get<std::int64_t>(), all.back());
    EXPECT_EQ(wait_for_render(port(), next)["state"], "succeeded");
}

// The server's cap on what one stream sends of a backlog is 10,000 events; this one is
// lowered to 4 so that the few dozen events of one small render are more than a stream
// holds (the path is the same).
class ServerEventsWithASmallBacklogCap : public ServerEvents {
  protected:
    static constexpr std::int64_t kCap = 4;
    std::map<std::string, std::string> server_env() const override {
        return {{"KOMPO_TEST_STREAM_BACKLOG_CAP", std::to_string(kCap)}};
    }
};

TEST_F(ServerEventsWithASmallBacklogCap, ABacklogOverTheCapIsSentCappedThenResumedWithoutAGap) {
    const auto id = start_render();
    ASSERT_EQ(wait_for_render(port(), id)["state"], "succeeded");
    const auto log = history(id).get<std::vector<json>>();
    ASSERT_GT(log.size(), static_cast<std::size_t>(2 * kCap));
    for (std::int64_t i = 0; i < kCap; ++i) ASSERT_NE(log[i]["type"], "step.progress");

    std::vector<json> received;
    std::int64_t after = 0;
    std::size_t streams = 0;
    while (received.empty() || !is_end(received.back())) {
        ASSERT_LT(streams++, log.size()) << "every stream sends at least one event";
        WsClient ws(port(), "/api/v1/renders/" + id + "/events?after=" + std::to_string(after));
        ASSERT_TRUE(ws.wait_closed(seconds(60)));
        EXPECT_TRUE(ws.closed_by_server()) << "a capped stream ends instead of going live";
        const auto got = messages_of_ended(ws);
        ASSERT_FALSE(got.empty());
        // At most the cap, all from the events just after the cursor; of those, only
        // thinned progress may be missing.
        std::vector<json> window;
        for (const auto& e : log) {
            const auto seq = e["seq"].get<std::int64_t>();
            if (seq > after && seq <= after + kCap) window.push_back(e);
        }
        EXPECT_LE(got.size(), static_cast<std::size_t>(kCap));
        EXPECT_EQ(seqs_of(got, false), seqs_of(window, false)) << "after " << after;
        if (after == 0) {
            EXPECT_EQ(seqs_of(got, true), (std::vector<std::int64_t>{1, 2, 3, 4}));
        }
        received.insert(received.end(), got.begin(), got.end());
        after = got.back()["seq"];  // where a client resumes: its last event
    }
    EXPECT_GT(streams, 2u);
    const auto all = seqs_of(received, true);
    EXPECT_TRUE(std::is_sorted(all.begin(), all.end()) &&
                std::adjacent_find(all.begin(), all.end()) == all.end())
        << "in order, none twice";
    EXPECT_EQ(seqs_of(received, false), seqs_of(log, false));
    EXPECT_EQ(received.back()["type"], "execution.succeeded");
}

// Workers with a 0.4 s lease beat (and record progress) every 100 ms, faster than a browser
// needs: a stream passes at most one progress message per step per 250 ms, and every
// transition. The render is long enough (16 s of 720p video) for many beats.
class ServerEventsWithFastProgress : public ServerEvents {
  protected:
    std::map<std::string, std::string> server_env() const override {
        return {{"KOMPO_WORKERS_LEASE_SECONDS", "0.4"}};
    }
};

std::map<std::string, std::vector<std::int64_t>> progress_times(const std::vector<json>& events) {
    std::map<std::string, std::vector<std::int64_t>> by_step;
    for (const auto& e : events) {
        if (e["type"] == "step.progress") by_step[e["step"]].push_back(e["at"]);
    }
    return by_step;
}

TEST_F(ServerEventsWithFastProgress, ProgressIsThinnedTo250MsPerStepAndTransitionsAllPass) {
    // Two 8 s segments of the 10 s clip, encoded at 1280x720: each a second or more.
    const auto long_one = clip_komposition("long", {{"A", 0, 16}, {"B", 16, 32}}, 1280, 720);
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", long_one).status, 201);
    const auto id =
        http_post_json(port(), "/api/v1/renders", {{"komposition", "long"}}).json()["id"];
    WsClient ws(port(), "/api/v1/renders/" + id.get<std::string>() + "/events");
    std::vector<json> received;
    while (received.empty() || !is_end(received.back())) {
        received.push_back(json::parse(ws.expect_text(std::chrono::seconds(120))));
    }
    ASSERT_EQ(received.back()["type"], "execution.succeeded");
    const auto log = history(id).get<std::vector<json>>();
    bool faster_in_the_log = false;
    for (const auto& [step, times] : progress_times(log)) {
        for (std::size_t i = 1; i < times.size(); ++i) {
            faster_in_the_log = faster_in_the_log || times[i] - times[i - 1] < 250;
        }
    }
    ASSERT_TRUE(faster_in_the_log) << "the workers recorded no progress faster than 250 ms";
    for (const auto& [step, times] : progress_times(received)) {
        for (std::size_t i = 1; i < times.size(); ++i) {
            EXPECT_GE(times[i] - times[i - 1], 250) << step << " progress #" << i;
        }
    }
    EXPECT_FALSE(progress_times(received).empty());
    std::size_t transitions = 0;
    for (const auto& e : log) transitions += e["type"] != "step.progress";
    EXPECT_EQ(seqs_of(received, false).size(), transitions);
}

TEST_F(ServerEvents, AnUnknownRenderIs404ForBothKindsOfClient) {
    EXPECT_THROW(WsClient(port(), "/api/v1/renders/ffffffffffffffff/events"), HttpStatusError);
    EXPECT_THROW(SseClient(port(), "/api/v1/renders/ffffffffffffffff/events"), HttpStatusError);
}

}  // namespace
}  // namespace kompo::test
