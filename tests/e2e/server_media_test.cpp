// /api/v1/media over a real server: uploads probed on arrival, refused files not kept,
// metadata, Range downloads, thumbnails, waveforms, and a render of uploaded media.
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

class ServerMedia : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        make_colour_clip(dir / "clip.mp4", "red", 4, 320, 180);
        make_click_track(dir / "song.wav", 120, 4);
        std::ofstream(dir / "notes.mp4") << "this is not a video";
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "1"});
    }
    int port() const { return server->port(); }
    fs::path dir;
    std::optional<ServerProcess> server;
};

TEST_F(ServerMedia, UploadsAreProbedListedAndServed) {
    const auto uploaded = http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4");
    ASSERT_EQ(uploaded.status, 201) << uploaded.body;
    const auto medium = uploaded.json();
    EXPECT_EQ(medium["type"], "Video");
    EXPECT_EQ(medium["width"], 320);
    EXPECT_EQ(medium["height"], 180);
    EXPECT_NEAR(medium["duration"].get<double>(), 4.0, 0.1);
    EXPECT_EQ(medium["size"], fs::file_size(dir / "clip.mp4"));
    ASSERT_EQ(http_upload_file(port(), "/api/v1/media?name=song.wav", dir / "song.wav").status,
              201);

    EXPECT_EQ(http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status,
              409);
    const auto listed = http_get(port(), "/api/v1/media").json()["items"];
    EXPECT_EQ(listed.size(), 2u);
    EXPECT_EQ(http_get(port(), "/api/v1/media?type=Audio").json()["items"].size(), 1u);

    const auto file = http_get(port(), "/api/v1/media/clip.mp4/file", {{"Range", "bytes=0-99"}});
    EXPECT_EQ(file.status, 206);
    EXPECT_EQ(file.body.size(), 100u);
    const auto jpeg = http_get(port(), "/api/v1/media/clip.mp4/thumbnail?t=1&width=160");
    ASSERT_EQ(jpeg.status, 200);
    EXPECT_EQ(jpeg.header("content-type"), "image/jpeg");
    EXPECT_EQ(jpeg.body.substr(0, 2), "\xFF\xD8");
    const auto peaks = http_get(port(), "/api/v1/media/song.wav/waveform?peaks=8").json();
    EXPECT_EQ(peaks["max"].size(), 8u);
    EXPECT_GT(peaks["max"][0].get<double>(), 0.1);  // a click at every beat
    EXPECT_EQ(http_get(port(), "/api/v1/media/nope.mp4").status, 404);
}

TEST_F(ServerMedia, AnUndecodableFileIsRefusedAndNotKept) {
    const auto refused =
        http_upload_file(port(), "/api/v1/media?name=notes.mp4", dir / "notes.mp4");
    EXPECT_EQ(refused.status, 422);
    EXPECT_NE(refused.json()["message"].get<std::string>().find("notes.mp4"), std::string::npos);
    EXPECT_EQ(http_get(port(), "/api/v1/media/notes.mp4").status, 404);
    EXPECT_FALSE(fs::exists(dir / "data" / "media" / "default" / "notes.mp4"));
    EXPECT_TRUE(fs::is_empty(dir / "data" / "uploads"));  // no half-written leftovers
    for (const std::string bad : {"..%2Fx.mp4", "a%2Fb.mp4", ".hidden", ""}) {
        EXPECT_EQ(http_upload_file(port(), "/api/v1/media?name=" + bad, dir / "clip.mp4").status,
                  422)
            << bad;
    }
    EXPECT_TRUE(fs::is_empty(dir / "data" / "uploads"));
}

TEST_F(ServerMedia, AnUploadNeverReplacesAKompositionOfTheSameId) {
    const auto komposition = clip_komposition("edit.mp4", {{"A", 0, 4}});
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition).status, 201);
    const auto refused =
        http_upload_file(port(), "/api/v1/media?name=edit.mp4&replace=true", dir / "clip.mp4");
    EXPECT_EQ(refused.status, 409);
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions/edit.mp4").json()["type"], "Komposition");
    EXPECT_TRUE(fs::is_empty(dir / "data" / "uploads"));
}

TEST_F(ServerMedia, AnUploadedClipRendersInAKomposition) {
    ASSERT_EQ(http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status,
              201);
    const auto komposition =
        clip_komposition("uses-upload", {{"A", 0, 4}}, 320, 180, "file://clip.mp4");
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition).status, 201);
    const auto id = http_post_json(port(), "/api/v1/renders", {{"komposition", "uses-upload"}})
                        .json()["id"]
                        .get<std::string>();
    EXPECT_EQ(wait_for_render(port(), id)["state"], "succeeded");
}

}  // namespace
}  // namespace kompo::test
