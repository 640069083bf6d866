// The Elm editor's exact calls (../shared/docs/elm-editor-api.md) replayed against a real
// server, under both prefixes, with the answers its decoders need.
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

json document(const std::string& id) {
    return json{
        {"_id", id},
        {"name", "Demo video"},
        {"type", "Komposition"},
        {"bpm", 120},
        {"config", {{"width", 320}, {"height", 180}, {"framerate", 30}, {"extension", "mp4"}}},
        {"beatpattern", {{"frombeat", 0}, {"tobeat", 8}, {"masterbpm", 120}}},
        {"segments",
         {{{"id", "Intro"}, {"sourceid", "clip"}, {"start", 0}, {"duration", 8}, {"end", 8}}}},
        {"sources",
         {{{"id", "clip"},
           {"url", "clip.mp4"},
           {"startingOffset", 0},
           {"checksums", ""},
           {"format", ""},
           {"extension", "mp4"},
           {"mediatype", "video"}}}}};
}

const json kFind = json::parse(R"({"selector": {"_id": {"$gt": "0"}, "type": "Komposition"},
                                   "fields": ["_id","_rev"], "sort": [{"_id": "asc"}]})");

class ElmApi : public ::testing::TestWithParam<std::string> {
  protected:
    void SetUp() override {
        data = scratch_dir() / "data";
        fs::create_directories(data / "media" / "default");
        make_colour_clip(data / "media" / "default" / "clip.mp4", "blue", 5, 320, 180);
        server.emplace(data, std::vector<std::string>{"--workers", "1"});
        token = server->admin_token();  // an API token of a user, as the web app mints one
    }
    int port() const { return server->port(); }
    HttpHeaders auth(HttpHeaders more = {}) const {
        more["Authy"] = token;
        return more;
    }
    std::string heap() const { return GetParam(); }

    fs::path data;
    std::string token;
    std::optional<ServerProcess> server;
};

TEST_P(ElmApi, SaveListReadConflictDelete) {
    const auto created =
        http_put_json(port(), heap() + "/Demo_Video", document("Demo_Video"), auth());
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json()["id"], "Demo_Video");
    EXPECT_EQ(created.json()["ok"], true);
    const auto rev1 = created.json()["rev"].get<std::string>();

    for (const char* name : {"/_find", "/find"}) {
        const auto listed = http_post_json(port(), heap() + name, kFind, auth());
        ASSERT_EQ(listed.status, 200) << listed.body;
        const auto body = listed.json();
        EXPECT_TRUE(body.contains("bookmark") && body.contains("warning"));
        EXPECT_EQ(body["docs"], (json::array({{{"_id", "Demo_Video"}, {"_rev", rev1}}})));
    }

    const auto read = http_get(port(), heap() + "/Demo_Video", auth());
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.json()["_rev"], rev1);
    EXPECT_EQ(read.json()["sources"][0]["checksums"], "");

    auto edited = read.json();
    edited["name"] = "Edited";
    const auto saved =
        http_put_json(port(), heap() + "/Demo_Video", edited, auth({{"x-amz-version-id", rev1}}));
    ASSERT_EQ(saved.status, 201) << saved.body;
    const auto rev2 = saved.json()["rev"].get<std::string>();
    EXPECT_NE(rev2, rev1);

    const auto stale = http_put_json(port(), heap() + "/Demo_Video", read.json(),
                                     auth({{"x-amz-version-id", rev1}}));
    EXPECT_EQ(stale.status, 409);
    EXPECT_EQ(stale.json()["error"], "conflict");
    EXPECT_EQ(http_get(port(), heap() + "/Demo_Video", auth()).json()["name"], "Edited");

    EXPECT_EQ(http_delete(port(), heap() + "/Demo_Video?rev=" + rev1, auth()).status, 409);
    const auto deleted = http_delete(port(), heap() + "/Demo_Video?rev=" + rev2, auth());
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(deleted.json()["ok"], true);
    EXPECT_EQ(http_get(port(), heap() + "/Demo_Video", auth()).status, 404);
}

TEST_P(ElmApi, WithoutAValidTokenEverythingIs401) {
    EXPECT_EQ(http_post_json(port(), heap() + "/_find", kFind, {{"Authy", ""}}).status, 401);
    EXPECT_EQ(http_get(port(), heap() + "/x", {{"Authy", "wrong"}}).status, 401);
    const auto refused = http_put_json(port(), heap() + "/x", document("x"), {{"Authy", "wrong"}});
    EXPECT_EQ(refused.status, 401);
    EXPECT_TRUE(refused.json().contains("error"));
    EXPECT_EQ(http_get(port(), heap() + "/x", auth()).status, 404);  // nothing was stored
}

// What the editor decodes, whoever wrote the komposition: a document stored through the
// platform's own API without the source fields the Elm decoder requires, and with whole
// beats written as 16.0, reads back with those fields (empty where unknown) and integer
// beats, keeping every field the platform does not know.
TEST_P(ElmApi, AKompositionReadsBackInTheFormTheEditorDecodes) {
    auto doc = document("Rest_Made");
    doc["sources"][0] = {{"id", "clip"}, {"url", "file://clip.mp4"}, {"mediatype", "video"}};
    doc["segments"][0]["start"] = 0.0;
    doc["segments"][0]["duration"] = 8.0;
    doc["segments"][0]["end"] = 8.0;
    doc["segments"][0]["mood"] = {{"colour", "blue"}};
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", doc).status, 201);

    const auto read = http_get(port(), heap() + "/Rest_Made", auth());
    ASSERT_EQ(read.status, 200) << read.body;
    const auto shown = read.json();
    const auto& source = shown["sources"][0];
    for (const char* field : {"id", "url", "checksums", "extension", "mediatype"}) {
        EXPECT_TRUE(source.contains(field) && source[field].is_string()) << field << ": " << source;
    }
    EXPECT_EQ(source["checksums"], "");
    const auto& segment = shown["segments"][0];
    for (const char* beat : {"start", "duration", "end"}) {
        EXPECT_TRUE(segment[beat].is_number_integer()) << beat << ": " << read.body;
    }
    EXPECT_NE(read.body.find("\"end\":8"), std::string::npos) << read.body;
    EXPECT_EQ(read.body.find("8.0"), std::string::npos) << read.body;
    EXPECT_EQ(segment["mood"], (json{{"colour", "blue"}}));
    EXPECT_EQ(shown["_id"], "Rest_Made");
}

// The list is a Mango query: `"type": "Komposition"` matches documents of that type only, not
// drafts saved without one; an id with an unencoded "/" is a JSON 404, not the web app's page.
TEST_P(ElmApi, TheListMatchesTheTypeAndUnknownPathsAnswerJson) {
    ASSERT_EQ(http_put_json(port(), heap() + "/Demo_Video", document("Demo_Video"), auth()).status,
              201);
    ASSERT_EQ(http_put_json(port(), heap() + "/Draft", json{{"_id", "Draft"}}, auth()).status, 201);
    const auto listed = http_post_json(port(), heap() + "/_find", kFind, auth());
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(listed.json()["docs"].size(), 1u) << listed.body;
    EXPECT_EQ(listed.json()["docs"][0]["_id"], "Demo_Video");

    const auto slashed = http_get(port(), heap() + "/a/b/c", auth());
    EXPECT_EQ(slashed.status, 404);
    EXPECT_NE(slashed.header("Content-Type").find("application/json"), std::string::npos)
        << slashed.header("Content-Type");
}

INSTANTIATE_TEST_SUITE_P(BothPrefixes, ElmApi, ::testing::Values("/heap", "/api/heap"),
                         [](const auto& info) { return info.index == 0 ? "heap" : "api_heap"; });

TEST(ElmApiRender, CreateVideoStartsARenderVisibleInThePlatformApi) {
    const auto data = scratch_dir() / "data";
    fs::create_directories(data / "media" / "default");
    make_colour_clip(data / "media" / "default" / "clip.mp4", "blue", 5, 320, 180);
    ServerProcess server(data, {"--workers", "1"});
    const auto token = server.admin_token();
    const auto answer = http_post_json(server.port(), "/kvaern/createvideo?Demo_Video",
                                       document("Demo_Video"), {{"Authy", token}});
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.json()["id"], "Demo_Video");
    EXPECT_EQ(answer.json()["ok"], true);
    const auto render = wait_for_render(server.port(), answer.json()["rev"]);
    EXPECT_EQ(render["state"], "succeeded") << render.dump();
    EXPECT_EQ(render["komposition"], "Demo_Video");
    EXPECT_EQ(http_get(server.port(), "/meta/Demo_Video", {{"Authy", token}}).status, 501);
    EXPECT_EQ(http_get(server.port(), "/meta/x", {{"Authy", token}}).status, 404);
    const auto media = http_get(server.port(), "/api/multimedia/search?q=&mediaType=&limit=20",
                                {{"Authy", token}});
    EXPECT_EQ(media.status, 200);
    EXPECT_TRUE(media.json()["items"].is_array());
}

// The editor posts the document it shows: a render of a komposition the server has in
// another revision renders the posted one (stored as the next revision first); one posted
// from a stale revision is a conflict, as its save would be.
TEST(ElmApiRender, CreateVideoRendersTheDocumentItIsSent) {
    const auto data = scratch_dir() / "data";
    fs::create_directories(data / "media" / "default");
    make_colour_clip(data / "media" / "default" / "clip.mp4", "blue", 5, 320, 180);
    ServerProcess server(data, {"--workers", "1"});
    const HttpHeaders authy{{"Authy", server.admin_token()}};
    const auto saved =
        http_put_json(server.port(), "/heap/Demo_Video", document("Demo_Video"), authy);
    ASSERT_EQ(saved.status, 201) << saved.body;
    auto shown = document("Demo_Video");
    shown["_rev"] = saved.json()["rev"];
    shown["beatpattern"]["tobeat"] = 4;  // edited in the editor, not saved yet
    const auto answer =
        http_post_json(server.port(), "/kvaern/createvideo?Demo_Video", shown, authy);
    ASSERT_EQ(answer.status, 200) << answer.body;
    const auto render = wait_for_render(server.port(), answer.json()["rev"]);
    EXPECT_EQ(render["state"], "succeeded") << render.dump();
    EXPECT_EQ(render["progress"]["frames_total"], 60) << render.dump();  // 4 beats, not 8
    const auto now = http_get(server.port(), "/heap/Demo_Video", authy).json();
    EXPECT_EQ(now["beatpattern"]["tobeat"], 4);
    EXPECT_NE(now["_rev"], saved.json()["rev"]);

    shown["beatpattern"]["tobeat"] = 2;  // still based on the first revision: stale
    EXPECT_EQ(http_post_json(server.port(), "/kvaern/createvideo?Demo_Video", shown, authy).status,
              409);
}

// The editor's media search decodes every one of these fields; an uploaded clip and song
// are listed with them, filtered by type and by name.
TEST(ElmApiMedia, SearchListsUploadedMediaWithEveryFieldTheEditorDecodes) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "clip.mp4", "blue", 2, 320, 180);
    make_click_track(dir / "song.wav", 120, 2);
    ServerProcess server(dir / "data", {"--workers", "0"});
    const HttpHeaders authy{{"Authy", server.admin_token()}};
    const auto port = server.port();
    ASSERT_EQ(http_upload_file(port, "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status, 201);
    ASSERT_EQ(http_upload_file(port, "/api/v1/media?name=song.wav", dir / "song.wav").status, 201);
    const auto all = http_get(port, "/api/multimedia/search?q=&mediaType=&limit=20", authy);
    ASSERT_EQ(all.status, 200) << all.body;
    const auto items = all.json()["items"];
    ASSERT_EQ(items.size(), 2u) << all.body;
    for (const auto& item : items) {
        for (const char* field : {"id", "url", "startingOffset", "checksum", "format",
                                  "extensionType", "mediaType", "width", "height"}) {
            EXPECT_TRUE(item.contains(field)) << field << " missing in " << item;
        }
    }
    const auto videos = http_get(port, "/api/multimedia/search?q=&mediaType=video&limit=20", authy);
    ASSERT_EQ(videos.json()["items"].size(), 1u) << videos.body;
    const auto clip = videos.json()["items"][0];
    EXPECT_EQ(clip["id"], "clip.mp4");
    EXPECT_EQ(clip["url"], "clip.mp4");
    EXPECT_EQ(clip["mediaType"], "video");
    EXPECT_EQ(clip["extensionType"], "mp4");
    EXPECT_EQ(clip["width"], 320);
    EXPECT_EQ(clip["height"], 180);
    EXPECT_EQ(clip["checksum"].get<std::string>().size(), 64u);
    const auto named = http_get(port, "/api/multimedia/search?q=song&mediaType=&limit=20", authy);
    ASSERT_EQ(named.json()["items"].size(), 1u) << named.body;
    EXPECT_EQ(named.json()["items"][0]["mediaType"], "audio");
    EXPECT_EQ(http_get(port, "/fetch/clip.mp4/mp4", authy).status, 501);
    EXPECT_EQ(http_get(port, "/api/multimedia/search?q=", {{"Authy", "wrong"}}).status, 401);

    // In id order across the types, the limit applied to them all; a limit that is not a
    // whole number from 1 is the editor's 20.
    ASSERT_EQ(http_upload_file(port, "/api/v1/media?name=b_song.wav", dir / "song.wav").status,
              201);
    const auto ids = [&](const std::string& query) {
        std::vector<std::string> listed;
        const auto answer = http_get(port, "/api/multimedia/search?" + query, authy);
        EXPECT_EQ(answer.status, 200) << query << ": " << answer.body;
        const auto body = answer.json();
        for (const auto& item : body["items"]) listed.push_back(item["id"]);
        return listed;
    };
    EXPECT_EQ(ids("q=&mediaType=&limit=20"),
              (std::vector<std::string>{"b_song.wav", "clip.mp4", "song.wav"}));
    EXPECT_EQ(ids("q=&mediaType=&limit=2"), (std::vector<std::string>{"b_song.wav", "clip.mp4"}));
    for (const char* bad : {"0", "-1", "abc"}) {
        EXPECT_EQ(ids(std::string("q=&mediaType=&limit=") + bad).size(), 3u) << bad;
    }
}

}  // namespace
}  // namespace kompo::test
