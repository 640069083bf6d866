// /api/v1/media over a real server: uploads probed on arrival, refused files not kept,
// a cut-off upload leaving nothing, names that try to leave the media folder,
// metadata, Range downloads, thumbnails, waveforms, and a render of uploaded media.
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <fstream>
#include <iterator>
#include <set>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// Files appearing in and leaving one folder, from inotify: a test waits for the server to
// create and remove its temporary files as they happen, without polling or sleeping.
class FolderWatch {
  public:
    explicit FolderWatch(const fs::path& folder) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
        const auto events = IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO;
        if (fd_ < 0 || inotify_add_watch(fd_, folder.c_str(), events) < 0) {
            throw std::runtime_error("inotify on " + folder.string() + " failed");
        }
    }
    ~FolderWatch() { ::close(fd_); }
    FolderWatch(const FolderWatch&) = delete;
    FolderWatch& operator=(const FolderWatch&) = delete;

    // Reads events until `done()` holds; false when it does not within `timeout`.
    template <class Done>
    bool wait_until(Done done, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left <= 0ms) return false;
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, static_cast<int>(left.count())) > 0) read_events();
        }
        return true;
    }
    int created() const { return created_; }
    const std::set<std::string>& present() const { return present_; }

  private:
    void read_events() {
        alignas(inotify_event) std::array<char, 4096> buffer{};
        const auto got = ::read(fd_, buffer.data(), buffer.size());
        for (ssize_t at = 0; at < got;) {
            const auto* event = reinterpret_cast<const inotify_event*>(buffer.data() + at);
            const std::string name = event->len > 0 ? event->name : "";
            if (event->mask & (IN_CREATE | IN_MOVED_TO)) {
                ++created_;
                present_.insert(name);
            }
            if (event->mask & (IN_DELETE | IN_MOVED_FROM)) present_.erase(name);
            at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        }
    }

    int fd_;
    int created_ = 0;
    std::set<std::string> present_;
};

// Every file and folder under `root` (relative paths) but the store's own files, which
// change with any request.
std::set<std::string> tree_of(const fs::path& root) {
    std::set<std::string> paths;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        const auto relative = fs::relative(entry.path(), root).string();
        if (entry.path().filename().string().rfind("kompo.db", 0) != 0) paths.insert(relative);
    }
    return paths;
}

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
    std::ofstream(dir / "empty.mp4").close();
    const auto empty = http_upload_file(port(), "/api/v1/media?name=empty.mp4", dir / "empty.mp4");
    EXPECT_EQ(empty.status, 422);
    EXPECT_EQ(empty.json()["message"], "empty.mp4: the file is empty (0 bytes)");
    EXPECT_EQ(http_get(port(), "/api/v1/media/empty.mp4").status, 404);
    EXPECT_TRUE(fs::is_empty(dir / "data" / "uploads"));
}

// Deleting a medium: refused while a komposition uses it (naming it), done when asked
// with force or when nothing uses it; then it is gone from the list, its file from disk.
TEST_F(ServerMedia, AMediumInUseIsDeletedOnlyWhenForcedAndThenIsGone) {
    ASSERT_EQ(http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status,
              201);
    ASSERT_EQ(http_upload_file(port(), "/api/v1/media?name=song.wav", dir / "song.wav").status,
              201);
    ASSERT_EQ(
        http_post_json(port(), "/api/v1/kompositions",
                       clip_komposition("uses-it", {{"A", 0, 4}}, 320, 180, "file://clip.mp4"))
            .status,
        201);
    const auto kept_file = dir / "data" / "media" / "default" / "clip.mp4";

    const auto refused = http_delete(port(), "/api/v1/media/clip.mp4");
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.json()["error"], "in_use");
    EXPECT_EQ(refused.json()["kompositions"], json::array({"uses-it"}));
    EXPECT_EQ(refused.json()["message"], "clip.mp4: used by uses-it (delete with ?force=true)");
    EXPECT_EQ(http_get(port(), "/api/v1/media/clip.mp4").status, 200);
    EXPECT_TRUE(fs::exists(kept_file));

    const auto forced = http_delete(port(), "/api/v1/media/clip.mp4?force=true");
    EXPECT_EQ(forced.status, 200) << forced.body;
    EXPECT_EQ(http_get(port(), "/api/v1/media/clip.mp4").status, 404);
    EXPECT_FALSE(fs::exists(kept_file));
    EXPECT_EQ(http_delete(port(), "/api/v1/media/song.wav").status, 200);  // nothing uses it
    EXPECT_EQ(http_get(port(), "/api/v1/media").json()["items"], json::array());
    EXPECT_EQ(http_delete(port(), "/api/v1/media/song.wav").status, 404);
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions/uses-it").status, 200);  // kept as it was
    // The name is free again.
    EXPECT_EQ(http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status,
              201);
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

// What the render's probe step said it did (`{"hashed", "cached", "probed"}`).
json probe_said(int port, const std::string& render) {
    const auto history = http_get(port, "/api/v1/renders/" + render + "/history").json();
    for (const auto& e : history["events"]) {
        if (e["step"] == "probe" && e["type"] == "step.succeeded") return e["detail"]["probe"];
    }
    return nullptr;
}

// The upload hashed the clip on arrival, so its first render does not read it to hash it.
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
    EXPECT_EQ(probe_said(port(), id)["hashed"], 0);
    const auto video = http_get(port(), "/api/v1/renders/" + id + "/output");
    ASSERT_EQ(video.status, 200);
    const auto output = dir / "output.mp4";
    std::ofstream(output, std::ios::binary) << video.body;
    EXPECT_EQ(count_video_frames(output), 60);
}

TEST_F(ServerMedia, AnUploadCutOffMidBodyLeavesNothing) {
    std::ifstream in(dir / "clip.mp4", std::ios::binary);
    const std::string clip{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const auto uploads = dir / "data" / "uploads";
    FolderWatch watch(uploads);
    {
        RawConnection connection(port());
        ASSERT_TRUE(connection.send(
            "POST /api/v1/media?name=clip.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Authorization: Bearer " +
            server->admin_token() +
            "\r\n"
            "Content-Type: application/octet-stream\r\nContent-Length: " +
            std::to_string(clip.size()) + "\r\n\r\n" + clip.substr(0, clip.size() / 2)));
        // The server is streaming the body to its temporary file when the client goes.
        ASSERT_TRUE(watch.wait_until([&] { return watch.created() > 0; }, 30s));
    }
    ASSERT_TRUE(watch.wait_until([&] { return watch.present().empty(); }, 30s))
        << "the cut-off upload's temporary file is still there";
    EXPECT_TRUE(fs::is_empty(uploads));
    EXPECT_EQ(http_get(port(), "/api/v1/media/clip.mp4").status, 404);
    EXPECT_TRUE(http_get(port(), "/api/v1/media").json()["items"].empty());
    EXPECT_FALSE(fs::exists(dir / "data" / "media" / "default" / "clip.mp4"));
    // Nothing half-kept stands in the way of sending it again.
    EXPECT_EQ(http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status,
              201);
}

TEST_F(ServerMedia, NamesThatAreNotPlainAreRefusedAndWriteNothing) {
    struct Name {
        std::string in_query;                // as sent in ?name= (percent-encoded)
        std::optional<std::string> in_json;  // as announced; none when JSON cannot hold it
    };
    const std::string overlong(300, 'a');
    const std::vector<Name> corpus{
        {"../x.mp4", "../x.mp4"},
        {"%2e%2e%2fx.mp4", "%2e%2e%2fx.mp4"},
        {"%2e%2e%2fx.mp4", "../x.mp4"},
        {"..%2fx", "../x"},
        {"..%2F..%2F..%2Fx.mp4", "../../../x.mp4"},
        {"/etc/passwd", "/etc/passwd"},
        {"%2Fetc%2Fpasswd", "/etc/passwd"},
        {"a/b.mp4", "a/b.mp4"},
        {"a%5Cb.mp4", "a\\b.mp4"},
        {"..%5Cx.mp4", "..\\x.mp4"},
        {"a%00b.mp4", std::string("a\0b.mp4", 7)},
        {"x.mp4%00", std::string("x.mp4\0", 6)},
        {overlong + ".mp4", overlong + ".mp4"},
        {".", "."},
        {"..", ".."},
        {"", ""},
        {"a%01b.mp4",
         "a\x01"
         "b.mp4"},
        {"clip%0A.mp4", "clip\n.mp4"},
        {"clip%0D%0AX-Injected:%201.mp4", "clip\r\nX-Injected: 1.mp4"},
        {"tab%09.mp4", "tab\t.mp4"},
        {"del%7F.mp4", "del\x7f.mp4"},
        {"%FF%FE.mp4", std::nullopt},  // not UTF-8
        {"caf%C3%A9.mp4", "caf\u00e9.mp4"},
    };
    const auto etc_passwd =
        fs::exists("/etc/passwd") ? fs::last_write_time("/etc/passwd") : fs::file_time_type{};
    const auto before = tree_of(dir);
    const auto named_name = [](const HttpResponse& refused) {
        return refused.json()["message"].get<std::string>().rfind("name", 0) == 0;
    };
    for (const auto& name : corpus) {
        const auto whole =
            http_upload_file(port(), "/api/v1/media?name=" + name.in_query, dir / "clip.mp4");
        EXPECT_EQ(whole.status, 422) << name.in_query << ": " << whole.body;
        EXPECT_TRUE(named_name(whole)) << name.in_query << ": " << whole.body;
        if (!name.in_json) continue;
        const auto announced =
            http_post_json(port(), "/api/v1/uploads", {{"name", *name.in_json}, {"size", 1000}});
        const auto shown = json(*name.in_json).dump();
        EXPECT_EQ(announced.status, 422) << shown << ": " << announced.body;
        EXPECT_TRUE(named_name(announced)) << shown << ": " << announced.body;
    }
    EXPECT_EQ(tree_of(dir), before);  // nothing written anywhere, inside DATA_DIR or out
    EXPECT_TRUE(fs::is_empty(dir / "data" / "uploads"));
    EXPECT_FALSE(fs::exists(dir / "data" / "media"));
    EXPECT_TRUE(http_get(port(), "/api/v1/media").json()["items"].empty());
    if (fs::exists("/etc/passwd")) {
        EXPECT_EQ(fs::last_write_time("/etc/passwd"), etc_passwd);
    }
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A link planted in the tenant's media folder (by someone with a shell on the server, or
// a restored backup) leads nowhere: an upload of its name never writes through it, and the
// medium's routes never serve what it points to. Names that are not plain are refused on
// every medium route too, and the resumable upload routes refuse ids that are not theirs.
TEST_F(ServerMedia, LinksInTheMediaFolderAndTraversalNamesReachNothingOutside) {
    const auto media = dir / "data" / "media" / "default";
    fs::create_directories(media);
    const auto victim = dir / "victim.mp4";
    make_colour_clip(victim, "green", 2, 160, 90);
    const auto victim_bytes = read_file(victim);
    fs::create_symlink(victim, media / "link.mp4");
    fs::create_directory_symlink(dir, media / "up");

    for (const auto* suffix : {"", "/file", "/thumbnail", "/waveform"}) {
        // The link is no medium of the library: nothing is served through it.
        const auto through_link = std::string("/api/v1/media/link.mp4") + suffix;
        EXPECT_EQ(http_get(port(), through_link).status, 404) << through_link;
        for (const std::string name : {"up%2Fvictim.mp4", "..%2Fvictim.mp4", "%2e%2e%2fvictim.mp4",
                                       "%2Ftmp%2Fvictim.mp4", "a%00b.mp4"}) {
            const auto target = "/api/v1/media/" + name + suffix;
            const auto answer = http_get(port(), target);
            EXPECT_TRUE(answer.status == 404 || answer.status == 422)
                << target << ": " << answer.status;
            EXPECT_EQ(answer.body.find(victim_bytes.substr(0, 64)), std::string::npos) << target;
        }
    }
    // Uploading over the link's name replaces the link itself, never the file it names.
    const auto over_link =
        http_upload_file(port(), "/api/v1/media?name=link.mp4&replace=true", dir / "clip.mp4");
    EXPECT_EQ(over_link.status, 201) << over_link.body;
    EXPECT_FALSE(fs::is_symlink(media / "link.mp4"));
    EXPECT_EQ(read_file(media / "link.mp4"), read_file(dir / "clip.mp4"));
    EXPECT_EQ(read_file(victim), victim_bytes);
    for (const auto* method : {"GET", "PUT", "DELETE"}) {
        for (const std::string id : {"..%2F..%2Fvictim.mp4", "..", "%2Fetc%2Fpasswd"}) {
            const auto answer = http_request(port(), method, "/api/v1/uploads/" + id, "x");
            EXPECT_TRUE(answer.status == 404 || answer.status == 400 || answer.status == 422)
                << method << " " << id << ": " << answer.status << " " << answer.body;
        }
    }
    EXPECT_EQ(read_file(victim), victim_bytes);
    EXPECT_TRUE(fs::exists(victim));
}

}  // namespace
}  // namespace kompo::test
