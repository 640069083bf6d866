// Nobody sees or touches what is not theirs, against a real `kompo serve`: event streams
// and the shared render cache. Every route tried by another tenant and by each role:
// server_isolation_matrix_test.cpp.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>

#include "e2e/security_support.hpp"
#include "e2e/server_support.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// What tenant "default" owns, made through the API by its admin.
struct Owned {
    std::string komposition = "k1";
    std::string render;
};

class ServerTenancy : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        make_colour_clip(dir / "clip.mp4", "blue", 2, 160, 90);
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "1"});
        rival = add_account(dir / "data", "mallory", "admin", "rival").token;
        const auto p = server->port();
        ASSERT_EQ(http_upload_file(p, "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status, 201);
        ASSERT_EQ(http_post_json(p, "/api/v1/kompositions",
                                 clip_komposition(owned.komposition, {{"a", 0, 4}}))
                      .status,
                  201);
        const auto started = http_post_json(p, "/api/v1/renders", {{"komposition", "k1"}});
        ASSERT_EQ(started.status, 202) << started.body;
        owned.render = started.json()["id"];
        ASSERT_EQ(wait_for_render(p, owned.render)["state"], "succeeded");
    }

    std::filesystem::path dir;
    std::optional<ServerProcess> server;
    std::string rival;
    Owned owned;
};

TEST_F(ServerTenancy, AnotherTenantCannotSubscribeToOrOverhearRenders) {
    const auto p = server->port();
    const auto target = "/api/v1/renders/" + owned.render + "/events";
    try {
        WsClient ws(p, target, bearer(rival));
        FAIL() << "WebSocket subscription to another tenant's render accepted";
    } catch (const HttpStatusError& refused) {
        EXPECT_EQ(refused.status, 404);
    }
    try {
        SseClient sse(p, target, bearer(rival));
        FAIL() << "SSE subscription to another tenant's render accepted";
    } catch (const HttpStatusError& refused) {
        EXPECT_EQ(refused.status, 404);
    }
    // The all-renders feed, replayed from the start, holds only the rival's own render.
    ASSERT_EQ(
        http_upload_file(p, "/api/v1/media?name=clip.mp4", dir / "clip.mp4", bearer(rival)).status,
        201);
    ASSERT_EQ(http_post_json(p, "/api/v1/kompositions", clip_komposition("r1", {{"a", 0, 2}}),
                             bearer(rival))
                  .status,
              201);
    const auto own = http_post_json(p, "/api/v1/renders", {{"komposition", "r1"}}, bearer(rival));
    ASSERT_EQ(own.status, 202);
    const std::string own_id = own.json()["id"];
    SseClient feed(p, "/api/v1/events?after=0", bearer(rival));
    std::set<std::string> seen;
    for (;;) {
        const auto event = feed.next(120s);
        ASSERT_TRUE(event.has_value()) << "the rival's render never finished";
        const auto data = json::parse(event->data);
        seen.insert(data.value("render", std::string()));
        if (data.value("render", std::string()) == own_id &&
            data.value("type", std::string()) == "execution.succeeded") {
            break;
        }
    }
    EXPECT_EQ(seen, std::set<std::string>{own_id});
}

std::vector<std::string> cached_kinds(int port, const std::string& render,
                                      const HttpHeaders& headers) {
    std::vector<std::string> kinds;
    const auto answer = http_get(port, "/api/v1/renders/" + render, headers).json();
    for (const auto& step : answer["steps"]) {
        if (step["state"] == "cached") kinds.push_back(step["kind"]);
    }
    return kinds;
}

// Rendered pieces are found by content key only (the piece and its sources' content
// hashes, never their names): the rival's render of a komposition identical to the
// owner's, over a different clip of the same name, reuses nothing made from the owner's
// media and yields its own video, so the cache tells no tenant what another's media holds.
// Only the soundtrack is shared: neither komposition has a song, and silence is the same
// for everyone.
TEST_F(ServerTenancy, AnotherTenantsSameNamedRenderReusesNothingOfTheOwners) {
    const auto p = server->port();
    const auto as_rival = bearer(rival);
    make_colour_clip(dir / "other.mp4", "red", 2, 160, 90);
    ASSERT_EQ(
        http_upload_file(p, "/api/v1/media?name=clip.mp4", dir / "other.mp4", as_rival).status,
        201);
    ASSERT_EQ(http_post_json(p, "/api/v1/kompositions",
                             clip_komposition(owned.komposition, {{"a", 0, 4}}), as_rival)
                  .status,
              201);
    const auto different = http_post_json(p, "/api/v1/renders", {{"komposition", "k1"}}, as_rival);
    ASSERT_EQ(different.status, 202);
    const std::string different_id = different.json()["id"];
    ASSERT_EQ(wait_for_render(p, different_id, {"succeeded", "failed"}, 300s, as_rival)["state"],
              "succeeded");
    EXPECT_EQ(cached_kinds(p, different_id, as_rival), std::vector<std::string>{"sound"});
    const auto owners = http_get(p, "/api/v1/renders/" + owned.render + "/output");
    const auto theirs = http_get(p, "/api/v1/renders/" + different_id + "/output", as_rival);
    ASSERT_EQ(theirs.status, 200);
    EXPECT_NE(theirs.body, owners.body);
}

}  // namespace
}  // namespace kompo::test
