// Music intelligence over a real `kompo serve`: the analysis of an uploaded song and clip
// (cached beside the media by content), and an automatic komposition made, stored and
// rendered through the API.
#include <gtest/gtest.h>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/music_support.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

class ServerAnalysis : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        make_drum_track(dir / "song.flac", 120, 0.75, 10);
        make_pad_track(dir / "pad.flac", 10);
        make_cut_clip(dir / "a.mp4", {45, 45, 60}, 30, 320, 180, 0, 0);
        make_cut_clip(dir / "b.mp4", {80, 70}, 30, 320, 180, 0, 3);
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "1"});
        for (const std::string name : {"song.flac", "pad.flac", "a.mp4", "b.mp4"}) {
            ASSERT_EQ(http_upload_file(port(), "/api/v1/media?name=" + name, dir / name).status,
                      201);
        }
    }
    int port() const { return server->port(); }
    fs::path media_folder() const { return dir / "data" / "media" / "default"; }
    fs::path dir;
    std::optional<ServerProcess> server;
};

TEST_F(ServerAnalysis, SongTempoAndFirstDownbeatAreOfferedAndCached) {
    const auto first = http_get(port(), "/api/v1/media/song.flac/analysis");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto analysis = first.json();
    EXPECT_NEAR(analysis["tempo"]["bpm"].get<double>(), 120, 0.5);
    EXPECT_TRUE(analysis["tempo"]["confident"].get<bool>());
    EXPECT_NEAR(analysis["suggested"]["startingOffset"].get<double>(), 0.75, 0.02);
    EXPECT_EQ(analysis["tempo"]["beats"].size(), 19u);  // (10 - 0.75) s at 2 beats a second

    // Cached beside the media, under the content's checksum; asked again, the same answer.
    const auto checksum = http_get(port(), "/api/v1/media/song.flac").json()["checksums"];
    std::size_t cached = 0;
    for (const auto& entry : fs::directory_iterator(media_folder() / ".analysis")) {
        cached += entry.path().filename().string().rfind(checksum.get<std::string>(), 0) == 0;
    }
    EXPECT_EQ(cached, 1u);
    EXPECT_EQ(http_get(port(), "/api/v1/media/song.flac/analysis").body, first.body);
    // The media list is unchanged by the cache folder.
    EXPECT_EQ(http_get(port(), "/api/v1/media").json()["items"].size(), 4u);
}

TEST_F(ServerAnalysis, ClipShotChangesAndUnsureSongs) {
    const auto clip = http_get(port(), "/api/v1/media/a.mp4/analysis").json();
    ASSERT_EQ(clip["shots"]["changes"].size(), 2u) << clip;
    EXPECT_EQ(clip["shots"]["changes"][0]["frame"], 45);
    EXPECT_EQ(clip["shots"]["changes"][1]["frame"], 90);

    const auto pad = http_get(port(), "/api/v1/media/pad.flac/analysis").json();
    EXPECT_EQ(pad["tempo"]["bpm"], nullptr);
    EXPECT_FALSE(pad.contains("suggested"));
    EXPECT_EQ(http_get(port(), "/api/v1/media/nope.flac/analysis").status, 404);
}

TEST_F(ServerAnalysis, AutoKompositionIsStoredAndRenders) {
    const auto made = http_post_json(port(), "/api/v1/auto-kompositions",
                                     {{"id", "mv"},
                                      {"audio", "song.flac"},
                                      {"clips", {"a.mp4", "b.mp4"}},
                                      {"bars_per_cut", 1},
                                      {"width", 320},
                                      {"height", 180}});
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(made.header("Location"), "/api/v1/kompositions/mv");
    const auto k = http_get(port(), "/api/v1/kompositions/mv").json();
    EXPECT_EQ(k["segments"].size(), 4u);  // 9.25 s of music: 4 bars of 2 s
    EXPECT_NEAR(k["bpm"].get<double>(), 120, 0.5);
    EXPECT_EQ(k["sources"][0]["url"], "a.mp4");

    const auto started = http_post_json(port(), "/api/v1/renders", {{"komposition", "mv"}});
    ASSERT_EQ(started.status, 202) << started.body;
    EXPECT_EQ(wait_for_render(port(), started.json()["id"])["state"], "succeeded");

    EXPECT_EQ(http_post_json(port(), "/api/v1/auto-kompositions",
                             {{"id", "mv"}, {"audio", "song.flac"}, {"clips", {"a.mp4"}}})
                  .status,
              409);
}

TEST_F(ServerAnalysis, AutoRefusalsNameTheField) {
    const auto unsure = http_post_json(port(), "/api/v1/auto-kompositions",
                                       {{"audio", "pad.flac"}, {"clips", {"a.mp4"}}});
    EXPECT_EQ(unsure.status, 422);
    EXPECT_NE(unsure.json()["message"].get<std::string>().find("pad.flac: tempo unsure"),
              std::string::npos)
        << unsure.body;
    const auto given = http_post_json(port(), "/api/v1/auto-kompositions",
                                      {{"audio", "pad.flac"}, {"clips", {"a.mp4"}}, {"bpm", 100}});
    EXPECT_EQ(given.status, 201) << given.body;

    const auto missing = http_post_json(port(), "/api/v1/auto-kompositions",
                                        {{"audio", "song.flac"}, {"clips", {"nope.mp4"}}});
    EXPECT_EQ(missing.status, 422);
    EXPECT_NE(missing.body.find("nope.mp4: no such medium"), std::string::npos) << missing.body;
    const auto not_clip = http_post_json(port(), "/api/v1/auto-kompositions",
                                         {{"audio", "song.flac"}, {"clips", {"pad.flac"}}});
    EXPECT_EQ(not_clip.status, 422);
    EXPECT_NE(not_clip.body.find("pad.flac: not a video clip"), std::string::npos);
    EXPECT_EQ(http_post_json(port(), "/api/v1/auto-kompositions", {{"clips", {"a.mp4"}}}).status,
              400);
    const auto bars =
        http_post_json(port(), "/api/v1/auto-kompositions",
                       {{"audio", "song.flac"}, {"clips", {"a.mp4"}}, {"bars_per_cut", 0}});
    EXPECT_EQ(bars.status, 422);
    EXPECT_NE(bars.body.find("bars_per_cut"), std::string::npos);
    // Nothing half-made was stored.
    const auto list = http_get(port(), "/api/v1/kompositions").json()["items"];
    EXPECT_EQ(list.size(), 1u) << list;
}

TEST_F(ServerAnalysis, AnotherTenantsMediaAreNeitherAnalysedNorUsed) {
    const auto data = (dir / "data").string();
    ASSERT_EQ(kompo({"user", "add", "mallory", "--tenant", "rival", "--role", "admin", "--data-dir",
                     data})
                  .exit_code,
              0);
    const auto token =
        kompo({"token", "add", "--user", "mallory", "--tenant", "rival", "--data-dir", data});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    const HttpHeaders rival{
        {"Authorization", "Bearer " + token.out.substr(0, token.out.find('\n'))}};
    EXPECT_EQ(http_get(port(), "/api/v1/media/song.flac/analysis", rival).status, 404);
    const auto used = http_post_json(port(), "/api/v1/auto-kompositions",
                                     {{"audio", "song.flac"}, {"clips", {"a.mp4"}}}, rival);
    EXPECT_EQ(used.status, 422);
    EXPECT_NE(used.body.find("song.flac: no such medium"), std::string::npos) << used.body;
    EXPECT_FALSE(fs::exists(dir / "data" / "media" / "rival" / ".analysis"));
}

}  // namespace
}  // namespace kompo::test
