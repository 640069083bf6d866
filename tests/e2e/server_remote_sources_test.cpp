// http(s) sources of server renders (sources.remote = fetch): fetched over real HTTP, kept
// in the tenant's media folder, and never from the server's own or private addresses.
// The media server is a second `kompo serve`, whose web-app folder serves files without
// credentials; it is on loopback, which only the test build `kompo-test` may be told to allow
// (KOMPO_TEST_REMOTE_ALLOW_LOOPBACK); the `kompo` users run ignores that variable.
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

class RemoteSources : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        fs::create_directories(dir / "site");
        std::ofstream(dir / "site" / "index.html") << "<!doctype html><title>site</title>";
        make_colour_clip(dir / "site" / "clip.mp4", "red", 6, 320, 180);
        site.emplace(dir / "site-data", std::vector<std::string>{"--workers", "0", "--web-root",
                                                                 (dir / "site").string()});
    }
    std::string url_of(const std::string& file) const {
        return "http://127.0.0.1:" + std::to_string(site->port()) + "/" + file;
    }
    // A render of 8 beats (4 s) of `url` on `server`; its end state as the API shows it.
    nlohmann::json render(ServerProcess& server, const std::string& id, const std::string& url) {
        const auto doc = clip_komposition(id, {{"A", 0, 8}}, 320, 180, url);
        EXPECT_EQ(http_post_json(server.port(), "/api/v1/kompositions", doc).status, 201);
        const auto started =
            http_post_json(server.port(), "/api/v1/renders", {{"komposition", id}});
        EXPECT_EQ(started.status, 202) << started.body;
        return wait_for_render(server.port(), started.json()["id"], {"succeeded", "failed"});
    }
    static std::string errors_of(const nlohmann::json& render) {
        std::string errors;
        for (const auto& step : render["steps"]) errors += step["error"].get<std::string>();
        return errors;
    }

    fs::path dir;
    std::optional<ServerProcess> site;
};

TEST_F(RemoteSources, AnHttpSourceIsFetchedOnceIntoTheTenantsMediaAndRendered) {
    ServerProcess server(
        dir / "data", {"--workers", "1"},
        {{"KOMPO_SOURCES_REMOTE", "fetch"}, {"KOMPO_TEST_REMOTE_ALLOW_LOOPBACK", "1"}},
        KOMPO_TEST_BIN);
    const auto done = render(server, "remote", url_of("clip.mp4"));
    ASSERT_EQ(done["state"], "succeeded") << done.dump();
    const auto video =
        http_get(server.port(), "/api/v1/renders/" + done["id"].get<std::string>() + "/output");
    ASSERT_EQ(video.status, 200);
    const auto file = dir / "out.mp4";
    std::ofstream(file, std::ios::binary) << video.body;
    EXPECT_EQ(count_video_frames(file), 120);
    const auto kept = dir / "data" / "media" / "default" / ".remote";
    ASSERT_TRUE(fs::is_directory(kept));
    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(kept)) {
        ++files;
        EXPECT_EQ(fs::file_size(entry.path()), fs::file_size(dir / "site" / "clip.mp4"));
        EXPECT_EQ(entry.path().extension(), ".mp4");
    }
    EXPECT_EQ(files, 1u);  // nothing partial left beside it
    // Not found there: the site answers its index page (200, HTML), which is no medium.
    const auto missing = render(server, "missing", url_of("nothing.mp4"));
    EXPECT_EQ(missing["state"], "failed");
    EXPECT_NE(errors_of(missing).find("sources[0] (\"clip\").url"), std::string::npos)
        << errors_of(missing);
}

TEST_F(RemoteSources, TooLargeARemoteSourceIsRefusedAndNothingIsKept) {
    ServerProcess server(dir / "data", {"--workers", "1"},
                         {{"KOMPO_SOURCES_REMOTE", "fetch"},
                          {"KOMPO_SOURCES_REMOTE_MAX", "1K"},
                          {"KOMPO_TEST_REMOTE_ALLOW_LOOPBACK", "1"}},
                         KOMPO_TEST_BIN);
    const auto done = render(server, "big", url_of("clip.mp4"));
    EXPECT_EQ(done["state"], "failed");
    EXPECT_NE(errors_of(done).find("sources.remote_max"), std::string::npos) << errors_of(done);
    const auto kept = dir / "data" / "media" / "default" / ".remote";
    EXPECT_TRUE(!fs::exists(kept) || fs::is_empty(kept));
}

// The `kompo` users run, even with the test build's variable set: the server's own address
// is refused before any connection, naming the source and why.
TEST_F(RemoteSources, LoopbackIsNeverFetchedFrom) {
    ServerProcess server(
        dir / "data", {"--workers", "1"},
        {{"KOMPO_SOURCES_REMOTE", "fetch"}, {"KOMPO_TEST_REMOTE_ALLOW_LOOPBACK", "1"}});
    const std::vector<std::string> urls{
        url_of("clip.mp4"), "http://localhost:" + std::to_string(site->port()) + "/clip.mp4"};
    for (std::size_t i = 0; i < urls.size(); ++i) {
        const auto done = render(server, "k" + std::to_string(i), urls[i]);
        EXPECT_EQ(done["state"], "failed") << urls[i];
        const auto errors = errors_of(done);
        EXPECT_NE(errors.find("sources[0] (\"clip\").url"), std::string::npos) << errors;
        EXPECT_NE(errors.find("not a public address"), std::string::npos) << errors;
    }
    EXPECT_FALSE(fs::exists(dir / "data" / "media" / "default" / ".remote"));
}

// A fetched copy takes the tenant's disk like an upload: it counts towards its storage
// quota, and a fetch may take no more than the quota has left.
TEST_F(RemoteSources, FetchedCopiesCountTowardsTheStorageQuotaAndAreHeldToWhatIsLeft) {
    ServerProcess server(
        dir / "data", {"--workers", "1"},
        {{"KOMPO_SOURCES_REMOTE", "fetch"}, {"KOMPO_TEST_REMOTE_ALLOW_LOOPBACK", "1"}},
        KOMPO_TEST_BIN);
    const auto clip_bytes = static_cast<std::int64_t>(fs::file_size(dir / "site" / "clip.mp4"));
    ASSERT_EQ(render(server, "first", url_of("clip.mp4"))["state"], "succeeded");
    const auto quota = http_get(server.port(), "/api/v1/quota").json();
    EXPECT_EQ(quota["usage"]["storage_bytes"], clip_bytes) << quota.dump();

    // Room for 100 more bytes: another source is refused, and nothing of it is kept.
    const auto limit = std::to_string(clip_bytes + 100);
    const auto set = kompo(
        {"quota", "set", "default", "--storage", limit, "--data-dir", (dir / "data").string()});
    ASSERT_EQ(set.exit_code, 0) << set.err;
    fs::copy_file(dir / "site" / "clip.mp4", dir / "site" / "other.mp4");
    const auto refused = render(server, "second", url_of("other.mp4"));
    EXPECT_EQ(refused["state"], "failed");
    EXPECT_NE(errors_of(refused).find("larger than 100 bytes"), std::string::npos)
        << errors_of(refused);
    EXPECT_NE(errors_of(refused).find("storage quota"), std::string::npos) << errors_of(refused);
    std::size_t kept = 0;
    for ([[maybe_unused]] const auto& entry :
         fs::directory_iterator(dir / "data" / "media" / "default" / ".remote")) {
        ++kept;
    }
    EXPECT_EQ(kept, 1u);
    // The copy already there is used again, whatever is left.
    EXPECT_EQ(render(server, "again", url_of("clip.mp4"))["state"], "succeeded");
}

}  // namespace
}  // namespace kompo::test
