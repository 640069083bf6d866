// /api/v1/kompositions over a real server: revisions, conflicts, validation, paging.
#include <gtest/gtest.h>

#include <set>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

json komposition(const std::string& id, const std::string& name) {
    auto document = json::parse(R"({
      "type": "Komposition", "bpm": 120,
      "config": {"width": 320, "height": 180, "framerate": 30, "extension": "mp4"},
      "segments": [{"id": "Intro", "sourceid": "clip", "start": 0, "duration": 16, "end": 16}],
      "sources": [{"id": "clip", "url": "media/clip.mp4", "startingOffset": 0, "checksums": "",
                   "format": "", "extension": "mp4", "mediatype": "video"}],
      "x-kept": {"unknown": [1, 2]}
    })");
    document["_id"] = id;
    document["name"] = name;
    return document;
}

class ServerKompositions : public ::testing::Test {
  protected:
    ServerProcess server{scratch_dir() / "data", {"--workers", "0"}};
    int port() const { return server.port(); }
};

TEST_F(ServerKompositions, CreateReadUpdateDeleteWithRevisions) {
    const auto created =
        http_post_json(port(), "/api/v1/kompositions", komposition("song-1", "First"));
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.header("location"), "/api/v1/kompositions/song-1");
    const auto rev1 = created.json()["_rev"].get<std::string>();
    EXPECT_EQ(rev1.substr(0, 2), "1-");
    EXPECT_EQ(created.header("etag"), "\"" + rev1 + "\"");

    const auto read = http_get(port(), "/api/v1/kompositions/song-1");
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.json()["x-kept"], (json{{"unknown", {1, 2}}}));  // unknown fields kept
    EXPECT_EQ(read.json()["_rev"], rev1);
    EXPECT_EQ(
        http_get(port(), "/api/v1/kompositions/song-1", {{"If-None-Match", "\"" + rev1 + "\""}})
            .status,
        304);

    auto edited = komposition("song-1", "First, edited");
    const auto updated = http_put_json(port(), "/api/v1/kompositions/song-1", edited,
                                       {{"If-Match", "\"" + rev1 + "\""}});
    ASSERT_EQ(updated.status, 200) << updated.body;
    const auto rev2 = updated.json()["_rev"].get<std::string>();
    EXPECT_EQ(rev2.substr(0, 2), "2-");

    // A stale write is refused and changes nothing.
    const auto stale = http_put_json(port(), "/api/v1/kompositions/song-1",
                                     komposition("song-1", "Lost edit"), {{"If-Match", rev1}});
    EXPECT_EQ(stale.status, 412);
    EXPECT_EQ(stale.json()["current_rev"], rev2);
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions/song-1").json()["name"], "First, edited");

    // An update without a revision is refused: it could overwrite someone else's edit.
    EXPECT_EQ(http_put_json(port(), "/api/v1/kompositions/song-1", edited).status, 428);

    EXPECT_EQ(http_delete(port(), "/api/v1/kompositions/song-1", {{"If-Match", rev1}}).status, 412);
    const auto deleted = http_delete(port(), "/api/v1/kompositions/song-1", {{"If-Match", rev2}});
    EXPECT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions/song-1").status, 404);
    EXPECT_EQ(http_delete(port(), "/api/v1/kompositions/song-1", {{"If-Match", rev2}}).status, 404);
}

TEST_F(ServerKompositions, CreatingAnExistingIdIsAConflict) {
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition("dup", "A")).status, 201);
    const auto again = http_post_json(port(), "/api/v1/kompositions", komposition("dup", "B"));
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions/dup").json()["name"], "A");
}

TEST_F(ServerKompositions, InvalidKompositionIs422NamingTheFieldAndIsNotStored) {
    auto bad = komposition("bad", "Bad");
    bad["segments"][0]["end"] = 99;  // end != start + duration
    const auto answer = http_post_json(port(), "/api/v1/kompositions", bad);
    EXPECT_EQ(answer.status, 422);
    EXPECT_NE(answer.json()["message"].get<std::string>().find("segments[0]"), std::string::npos)
        << answer.body;
    EXPECT_EQ(answer.json()["field"].get<std::string>().rfind("segments[0]", 0), 0u) << answer.body;
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions/bad").status, 404);
    const auto malformed = http_request(port(), "POST", "/api/v1/kompositions", "{\"_id\": ");
    EXPECT_EQ(malformed.status, 400);
}

TEST_F(ServerKompositions, ListPagesThroughEveryKompositionOnceAndFiltersByName) {
    for (int i = 0; i < 7; ++i) {
        const auto id = "k" + std::to_string(i);
        const auto name = i % 2 ? "Waltz " + id : "Tango " + id;
        ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition(id, name)).status,
                  201);
    }
    std::set<std::string> seen;
    std::string after;
    int pages = 0;
    do {
        const auto page = http_get(
            port(), "/api/v1/kompositions?limit=3" + (after.empty() ? "" : "&after=" + after));
        ASSERT_EQ(page.status, 200);
        const auto listed = page.json();
        for (const auto& item : listed["items"]) {
            EXPECT_TRUE(seen.insert(item["id"].get<std::string>()).second) << item;
        }
        after = listed["next"].is_null() ? "" : listed["next"].get<std::string>();
        ASSERT_LT(++pages, 10);
    } while (!after.empty());
    EXPECT_EQ(seen.size(), 7u);
    EXPECT_EQ(pages, 3);
    const auto waltzes = http_get(port(), "/api/v1/kompositions?name=waltz").json()["items"];
    EXPECT_EQ(waltzes.size(), 3u);
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions?limit=0").status, 400);
}

}  // namespace
}  // namespace kompo::test
