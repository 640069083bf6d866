// Resumable uploads (/api/v1/uploads) over a real server: a clip sent in chunks with a
// connection lost mid-chunk and resumed from the offset the server reports, then kept
// byte-identical and rendered; chunks at the wrong offset or with bad headers refused;
// undecodable content, abandoned and stale uploads leave nothing behind.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> folder_listing(const fs::path& folder) {
    std::vector<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
        names.push_back(it->path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string content_range(std::size_t first, std::size_t end, std::size_t size) {
    return "bytes " + std::to_string(first) + "-" + std::to_string(end - 1) + "/" +
           std::to_string(size);
}

class ServerUploads : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        make_numbered_clip(dir / "clip.mp4", 4, 320, 180);
        clip = read_bytes(dir / "clip.mp4");
        start_server();
    }
    void start_server() {
        server.reset();
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "1"});
    }
    int port() const { return server->port(); }
    fs::path partial_folder() const { return dir / "data" / "uploads" / "partial" / "default"; }

    // POST /api/v1/uploads; the upload's id, after checking the 201 answer.
    std::string announce(const std::string& name, std::size_t size) {
        const auto created =
            http_post_json(port(), "/api/v1/uploads", {{"name", name}, {"size", size}});
        EXPECT_EQ(created.status, 201) << created.body;
        const auto id = created.json()["id"].get<std::string>();
        EXPECT_EQ(created.header("Location"), "/api/v1/uploads/" + id);
        return id;
    }
    // PUTs bytes [first, end) of `bytes` as one chunk with a matching Content-Range.
    HttpResponse put_chunk(const std::string& id, const std::string& bytes, std::size_t first,
                           std::size_t end, HttpHeaders headers = {}) {
        headers.emplace("Content-Range", content_range(first, end, bytes.size()));
        headers.emplace("Content-Type", "application/octet-stream");
        return http_request(port(), "PUT", "/api/v1/uploads/" + id,
                            bytes.substr(first, end - first), headers);
    }
    std::uint64_t offset_of(const std::string& id) {
        const auto status = http_get(port(), "/api/v1/uploads/" + id);
        EXPECT_EQ(status.status, 200) << status.body;
        return status.json()["offset"].get<std::uint64_t>();
    }

    fs::path dir;
    std::string clip;
    std::optional<ServerProcess> server;
};

TEST_F(ServerUploads, ResumesAfterALostConnectionAndKeepsTheMediumByteIdentical) {
    const auto size = clip.size();
    ASSERT_GT(size, 3000u);
    const auto created =
        http_post_json(port(), "/api/v1/uploads", {{"name", "clip.mp4"}, {"size", size}});
    ASSERT_EQ(created.status, 201) << created.body;
    const auto id = created.json()["id"].get<std::string>();
    EXPECT_EQ(created.json(), (json{{"id", id},
                                    {"name", "clip.mp4"},
                                    {"size", size},
                                    {"offset", 0},
                                    {"href", "/api/v1/uploads/" + id}}));
    const std::size_t third = size / 3;
    const std::size_t two_thirds = 2 * size / 3;

    const auto first = put_chunk(id, clip, 0, third);
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_EQ(first.json()["offset"], third);

    {  // The second chunk: the connection is lost after half of it.
        RawConnection lost(port());
        const auto chunk = clip.substr(third, two_thirds - third);
        ASSERT_TRUE(lost.send("PUT /api/v1/uploads/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                              "Authorization: Bearer " + server->admin_token() + "\r\n" +
                              "Content-Range: " + content_range(third, two_thirds, size) +
                              "\r\nContent-Length: " + std::to_string(chunk.size()) + "\r\n\r\n" +
                              chunk.substr(0, chunk.size() / 2)));
    }
    // A chunk cut off counts for nothing: the client resumes where the server stands.
    const auto resume_at = offset_of(id);
    EXPECT_EQ(resume_at, third);
    const auto second = put_chunk(id, clip, resume_at, two_thirds);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.json()["offset"], two_thirds);
    EXPECT_EQ(offset_of(id), two_thirds);

    const auto last = put_chunk(id, clip, two_thirds, size);
    ASSERT_EQ(last.status, 201) << last.body;
    EXPECT_EQ(last.header("Location"), "/api/v1/media/clip.mp4");
    EXPECT_EQ(last.json()["type"], "Video");
    EXPECT_EQ(last.json()["size"], size);
    EXPECT_EQ(last.json()["width"], 320);

    const auto download = http_get(port(), "/api/v1/media/clip.mp4/file");
    ASSERT_EQ(download.status, 200);
    EXPECT_TRUE(download.body == clip) << "the kept medium differs from the file sent";
    EXPECT_EQ(http_get(port(), "/api/v1/uploads/" + id).status, 404);  // the upload ended
    EXPECT_TRUE(folder_listing(partial_folder()).empty());

    const auto komposition =
        clip_komposition("uses-resumed", {{"A", 0, 4}}, 320, 180, "file://clip.mp4");
    ASSERT_EQ(http_post_json(port(), "/api/v1/kompositions", komposition).status, 201);
    const auto render =
        http_post_json(port(), "/api/v1/renders", {{"komposition", "uses-resumed"}});
    ASSERT_EQ(render.status, 202) << render.body;
    EXPECT_EQ(wait_for_render(port(), render.json()["id"].get<std::string>())["state"],
              "succeeded");
}

TEST_F(ServerUploads, AChunkMustStartAtTheOffsetAndAgreeWithItsHeader) {
    const auto size = clip.size();
    const auto id = announce("clip.mp4", size);
    const std::size_t half = size / 2;
    ASSERT_EQ(put_chunk(id, clip, 0, half).status, 200);

    for (const auto& [first, end] : {std::pair<std::size_t, std::size_t>{0, half},  // a retry
                                     {half + 1, size}}) {                           // a gap
        const auto refused = put_chunk(id, clip, first, end);
        EXPECT_EQ(refused.status, 409) << first;
        EXPECT_EQ(refused.json()["offset"], half) << refused.body;
    }

    const auto chunk = clip.substr(half, 100);
    const auto put = [&](const std::string& range) {
        return http_request(
            port(), "PUT", "/api/v1/uploads/" + id, chunk,
            {{"Content-Range", range}, {"Content-Type", "application/octet-stream"}});
    };
    const auto total = std::to_string(size);
    const auto range_of_chunk = "bytes " + std::to_string(half) + "-" + std::to_string(half + 99);
    const std::vector<std::pair<std::string, int>> bad{
        {"", 400},  // missing
        {"bytes=" + std::to_string(half) + "-" + std::to_string(half + 99) + "/" + total, 400},
        {range_of_chunk + "/*", 400},                            // no total
        {"bytes \xff\xfe-1/" + total, 400},                      // not even text
        {range_of_chunk + "/" + std::to_string(size + 1), 400},  // not the announced size
        {"bytes " + std::to_string(half) + "-" + std::to_string(half + 98) + "/" + total,
         400},  // 99 bytes announced, 100 sent
        {"bytes " + std::to_string(half) + "-" + std::to_string(size) + "/" + total,
         416},  // past the last byte
    };
    for (const auto& [range, status] : bad) {
        const auto refused = put(range);
        EXPECT_EQ(refused.status, status) << range << ": " << refused.body;
        EXPECT_NE(refused.json()["message"].get<std::string>().find("Content-Range"),
                  std::string::npos)
            << refused.body;
    }
    EXPECT_EQ(offset_of(id), half);  // nothing refused was appended

    ASSERT_EQ(put_chunk(id, clip, half, size).status, 201);
    EXPECT_TRUE(http_get(port(), "/api/v1/media/clip.mp4/file").body == clip);
    EXPECT_EQ(put_chunk(id, clip, half, size).status, 404);
}

TEST_F(ServerUploads, UndecodableContentIsRefusedAndNothingIsKept) {
    std::string notes;
    for (int i = 0; i < 200; ++i) notes += "this is not a video, line " + std::to_string(i) + "\n";
    const auto id = announce("notes.mp4", notes.size());
    ASSERT_EQ(put_chunk(id, notes, 0, 1000).status, 200);
    const auto refused = put_chunk(id, notes, 1000, notes.size());
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.json()["message"].get<std::string>().find("notes.mp4"), std::string::npos);

    EXPECT_EQ(http_get(port(), "/api/v1/uploads/" + id).status, 404);
    EXPECT_EQ(http_get(port(), "/api/v1/media/notes.mp4").status, 404);
    EXPECT_FALSE(fs::exists(dir / "data" / "media" / "default" / "notes.mp4"));
    EXPECT_TRUE(folder_listing(partial_folder()).empty());
    // Chunk bodies are removed before the answer: only the partial folder remains.
    EXPECT_EQ(folder_listing(dir / "data" / "uploads"), std::vector<std::string>{"partial"});
}

TEST_F(ServerUploads, DeleteAbandonsAnUpload) {
    const auto id = announce("clip.mp4", clip.size());
    ASSERT_EQ(put_chunk(id, clip, 0, 1000).status, 200);
    EXPECT_EQ(folder_listing(partial_folder()), (std::vector<std::string>{id, id + ".json"}));
    EXPECT_EQ(fs::file_size(partial_folder() / id), 1000u);

    const auto deleted = http_delete(port(), "/api/v1/uploads/" + id);
    EXPECT_EQ(deleted.status, 204);
    EXPECT_TRUE(deleted.body.empty());
    EXPECT_TRUE(folder_listing(partial_folder()).empty());
    EXPECT_EQ(http_get(port(), "/api/v1/uploads/" + id).status, 404);
    EXPECT_EQ(put_chunk(id, clip, 1000, clip.size()).status, 404);
    EXPECT_EQ(http_delete(port(), "/api/v1/uploads/" + id).status, 404);
    EXPECT_EQ(http_get(port(), "/api/v1/media/clip.mp4").status, 404);
}

TEST_F(ServerUploads, AnnouncingChecksTheNameAndSizeBeforeAnyByte) {
    ASSERT_EQ(http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status,
              201);
    const auto announce_json = [&](const json& body) {
        return http_post_json(port(), "/api/v1/uploads", body);
    };
    const auto taken = announce_json({{"name", "clip.mp4"}, {"size", 10}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.json()["field"], "name");
    const auto too_large = announce_json({{"name", "big.mp4"}, {"size", 9ull << 30}});
    EXPECT_EQ(too_large.status, 413);
    EXPECT_EQ(too_large.json()["field"], "size");
    for (const auto& body :
         {json{{"name", "a.mp4"}, {"size", 0}}, json{{"name", "a.mp4"}},
          json{{"name", "a.mp4"}, {"size", -5}}, json{{"name", "a.mp4"}, {"size", "12"}},
          json{{"name", "a.mp4"}, {"size", 10}, {"replace", "yes"}}, json{{"size", 10}}}) {
        const auto refused = announce_json(body);
        EXPECT_EQ(refused.status, 422) << body.dump() << ": " << refused.body;
    }
    EXPECT_EQ(http_request(port(), "POST", "/api/v1/uploads", "{\"name\":").status, 400);
    EXPECT_EQ(http_request(port(), "POST", "/api/v1/uploads", "[1]").status, 400);
    EXPECT_FALSE(fs::exists(partial_folder()));  // nothing refused left a trace

    const auto replacing = announce_json({{"name", "clip.mp4"}, {"size", 10}, {"replace", true}});
    EXPECT_EQ(replacing.status, 201) << replacing.body;
    for (const std::string bogus : {"nope", "%2E%2E%2Fx", "%FF%00", "0123456789abcdef01234567"}) {
        EXPECT_EQ(http_get(port(), "/api/v1/uploads/" + bogus).status, 404) << bogus;
    }
}

TEST_F(ServerUploads, BytesPastTheRecordedOffsetAreDroppedAfterACrash) {
    const auto size = clip.size();
    const auto id = announce("clip.mp4", size);
    const std::size_t half = size / 2;
    ASSERT_EQ(put_chunk(id, clip, 0, half).status, 200);
    ASSERT_EQ(server->stop(), 0);
    // As if the server died after appending a chunk but before recording its offset; longer
    // than the rest of the file, so that only dropping it gives the right bytes.
    std::ofstream(partial_folder() / id, std::ios::binary | std::ios::app)
        << std::string(size, 'g');
    start_server();

    EXPECT_EQ(offset_of(id), half);
    ASSERT_EQ(put_chunk(id, clip, half, size).status, 201);
    EXPECT_TRUE(http_get(port(), "/api/v1/media/clip.mp4/file").body == clip);
}

TEST_F(ServerUploads, UploadsIdleForADayAreRemovedWhenTheServerStarts) {
    const auto stale = announce("old.mp4", clip.size());
    ASSERT_EQ(put_chunk(stale, clip, 0, 1000).status, 200);
    const auto fresh = announce("new.mp4", clip.size());
    ASSERT_EQ(server->stop(), 0);
    const auto long_ago = fs::file_time_type::clock::now() - 25h;
    for (const auto& file : {stale, stale + ".json"}) {
        fs::last_write_time(partial_folder() / file, long_ago);
    }
    start_server();

    EXPECT_EQ(http_get(port(), "/api/v1/uploads/" + stale).status, 404);
    EXPECT_EQ(offset_of(fresh), 0u);
    EXPECT_EQ(folder_listing(partial_folder()), (std::vector<std::string>{fresh, fresh + ".json"}));
}

}  // namespace
}  // namespace kompo::test
