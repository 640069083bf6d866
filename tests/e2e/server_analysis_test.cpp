// Music intelligence over a real `kompo serve`: the analysis of an uploaded song and clip
// (cached beside the media by content), and an automatic komposition made, stored and
// rendered through the API.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

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

// The log line of a background analysis that ended: "analysed" (or "analysis failed").
bool analysed(ServerProcess& server, const std::string& medium) {
    return server.wait_for_log(
        [&](const std::string& line) {
            const auto entry = json::parse(line, nullptr, false);
            return entry.is_object() && entry.value("medium", "") == "default/" + medium &&
                   entry.value("msg", "").rfind("analys", 0) == 0;
        },
        std::chrono::seconds(120));
}

// The cache entry of the medium's analysis, found by its content checksum.
std::optional<fs::path> cache_entry(const fs::path& media_folder, int port,
                                    const std::string& medium) {
    const auto checksum =
        http_get(port, "/api/v1/media/" + medium).json()["checksums"].get<std::string>();
    std::error_code ec;
    for (fs::directory_iterator it(media_folder / ".analysis", ec), end; !ec && it != end;
         it.increment(ec)) {
        if (it->path().filename().string().rfind(checksum, 0) == 0) return it->path();
    }
    return std::nullopt;
}

TEST_F(ServerAnalysis, UploadsAreAnalysedInTheBackgroundAndAskingFindsTheCache) {
    // No analysis was asked for: the uploads of SetUp started them.
    for (const std::string name : {"song.flac", "a.mp4"}) {
        ASSERT_TRUE(analysed(*server, name)) << server->log();
        ASSERT_TRUE(cache_entry(media_folder(), port(), name)) << name;
    }
    EXPECT_EQ(server->log().find("analysis failed"), std::string::npos) << server->log();

    // The GET answers from that entry: a mark put in it comes back.
    const auto entry = *cache_entry(media_folder(), port(), "song.flac");
    json cached = json::parse(std::ifstream(entry));
    EXPECT_NEAR(cached["tempo"]["bpm"].get<double>(), 120, 0.5);
    cached["tempo"]["aubio_bpm"] = 42.5;
    std::ofstream(entry) << cached.dump();
    const auto answer = http_get(port(), "/api/v1/media/song.flac/analysis");
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_EQ(answer.json()["tempo"]["aubio_bpm"], 42.5);
}

TEST_F(ServerAnalysis, TheLastChunkOfAResumableUploadStartsTheAnalysis) {
    std::ifstream in(dir / "b.mp4", std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto created = http_post_json(port(), "/api/v1/uploads",
                                        {{"name", "chunked.mp4"}, {"size", bytes.size()}});
    ASSERT_EQ(created.status, 201) << created.body;
    const auto half = bytes.size() / 2;
    const auto put = [&](std::size_t first, std::size_t end) {
        return http_request(
            port(), "PUT", "/api/v1/uploads/" + created.json()["id"].get<std::string>(),
            bytes.substr(first, end - first),
            {{"Content-Type", "application/octet-stream"},
             {"Content-Range", "bytes " + std::to_string(first) + "-" + std::to_string(end - 1) +
                                   "/" + std::to_string(bytes.size())}});
    };
    ASSERT_EQ(put(0, half).status, 200);
    ASSERT_EQ(put(half, bytes.size()).status, 201);
    ASSERT_TRUE(analysed(*server, "chunked.mp4")) << server->log();
    const auto entry = cache_entry(media_folder(), port(), "chunked.mp4");
    ASSERT_TRUE(entry);
    EXPECT_EQ(json::parse(std::ifstream(*entry))["shots"]["changes"].size(), 1u);
}

TEST(ServerBackgroundAnalysis, StoppingLeavesNoHalfWrittenCacheEntry) {
    const auto dir = scratch_dir();
    make_cut_clip(dir / "long.mp4", {900, 900}, 30, 640, 360, 0, 0);  // a minute to profile
    ServerProcess server(dir / "data", {"--workers", "0"});
    ASSERT_EQ(
        http_upload_file(server.port(), "/api/v1/media?name=long.mp4", dir / "long.mp4").status,
        201);
    EXPECT_EQ(server.stop(), 0) << server.log();
    std::error_code ec;
    for (fs::directory_iterator it(dir / "data" / "media" / "default" / ".analysis", ec), end;
         !ec && it != end; it.increment(ec)) {
        EXPECT_EQ(it->path().extension(), ".json") << it->path();  // no temporary left
        EXPECT_FALSE(json::parse(std::ifstream(it->path()), nullptr, false).is_discarded());
    }
}

TEST(ServerBackgroundAnalysis, NoneWhenTheConcurrencyIsZero) {
    const auto dir = scratch_dir();
    make_drum_track(dir / "song.flac", 120, 0.75, 4);
    ServerProcess server(dir / "data", {"--workers", "0"}, {{"KOMPO_ANALYSIS_CONCURRENCY", "0"}});
    ASSERT_EQ(
        http_upload_file(server.port(), "/api/v1/media?name=song.flac", dir / "song.flac").status,
        201);
    EXPECT_EQ(http_get(server.port(), "/api/v1/media/song.flac/analysis").status, 200);
    EXPECT_EQ(server.log().find("\"msg\":\"analysed\""), std::string::npos);
}

}  // namespace
}  // namespace kompo::test
