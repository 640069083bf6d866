// A tenant's render reads only the tenant's media folder: urls that climb out, absolute
// paths, odd bytes and symbolic links leading elsewhere are refused with a message naming
// the source; `kompo render` of one's own files keeps taking any path. And the address
// policy that a future fetcher of remote sources must apply.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "komposition/komposition.hpp"
#include "render/remote_address.hpp"
#include "render/sources.hpp"
#include "support/support.hpp"

namespace kompo::render {
namespace {

namespace fs = std::filesystem;

// DATA_DIR/media/t1 with a file, a subfolder and links in it; beside it the folder of
// tenant t10 (whose path starts with t1's as a string) and a folder outside both.
class SourceConfinementTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto data = test::scratch_dir();
        media_ = data / "media" / "t1";
        other_tenant_ = data / "media" / "t10";
        outside_ = data / "outside";
        for (const auto& dir : {media_ / "sub", other_tenant_, outside_})
            fs::create_directories(dir);
        touch(media_ / "clip.mp4");
        touch(media_ / "sub" / "inner.mp4");
        touch(other_tenant_ / "secret.mp4");
        touch(outside_ / "secret.png");
        fs::create_symlink(media_ / "clip.mp4", media_ / "inside-link.mp4");
        fs::create_symlink("../clip.mp4", media_ / "sub" / "up-link.mp4");
        fs::create_symlink(outside_ / "secret.png", media_ / "escape.png");
        fs::create_symlink("../t10/secret.mp4", media_ / "t10-link.mp4");
        fs::create_directory_symlink(outside_, media_ / "dir-link");
        fs::create_symlink(outside_ / "gone.mp4", media_ / "broken.mp4");
    }

    static void touch(const fs::path& path) { std::ofstream(path) << "x"; }

    SourcePolicy policy(bool confined = true) const { return SourcePolicy{media_, confined, {}}; }

    fs::path resolve(const std::string& url, bool confined = true) const {
        return resolve_source(komp::Source{"intro", url, Seconds(0), MediaKind::video, "", {}, {}},
                              2, policy(confined));
    }

    // The error's message; "resolved to PATH" when the url was accepted.
    std::string refusal(const std::string& url, ErrorKind kind = ErrorKind::invalid_input) const {
        try {
            return "resolved to " + resolve(url).string();
        } catch (const Error& e) {
            EXPECT_EQ(error_kind_name(e.kind()), error_kind_name(kind)) << e.what();
            return e.what();
        }
    }

    fs::path canonical_media() const { return fs::canonical(media_); }

    fs::path media_;
    fs::path other_tenant_;
    fs::path outside_;
};

TEST_F(SourceConfinementTest, ResolvesFilesAndLinksInsideTheMediaFolder) {
    const auto root = canonical_media();
    EXPECT_EQ(resolve("clip.mp4"), root / "clip.mp4");
    EXPECT_EQ(resolve("file://clip.mp4"), root / "clip.mp4");
    EXPECT_EQ(resolve("./sub/inner.mp4"), root / "sub" / "inner.mp4");
    EXPECT_EQ(resolve("sub//inner.mp4"), root / "sub" / "inner.mp4");
    EXPECT_EQ(resolve("inside-link.mp4"), root / "clip.mp4");
    EXPECT_EQ(resolve("sub/up-link.mp4"), root / "clip.mp4");
    // A missing file stays inside; probing it then says it is not found.
    EXPECT_EQ(resolve("missing.mp4"), root / "missing.mp4");
}

TEST_F(SourceConfinementTest, RefusesEveryWayOut) {
    const std::string at = "sources[2] (\"intro\").url: ";
    const std::string only = "; a server render reads only the tenant's media folder";
    const std::string link_out = " leads outside the media folder (through a symbolic link)";
    const std::string long_segment(300, 'a');
    std::string long_path;
    for (int i = 0; i < 11; ++i) long_path += std::string(99, 'b') + "/";
    const std::vector<std::pair<std::string, std::string>> corpus{
        {"../x", at + "\"../x\" has a \"..\" segment" + only},
        {"a/../../x", at + "\"a/../../x\" has a \"..\" segment" + only},
        {"sub/..", at + "\"sub/..\" has a \"..\" segment" + only},
        {"/etc/passwd", at + "\"/etc/passwd\" is an absolute path" + only},
        {"file:///etc/passwd", at + "\"/etc/passwd\" is an absolute path" + only},
        {"file://../x", at + "\"../x\" has a \"..\" segment" + only},
        {"a\\..\\x", at + "\"a\\..\\x\" contains a backslash; folders are separated by \"/\""},
        {std::string("clip.mp4\0/../../x", 17), at + "\"clip.mp4?/../../x\" contains a NUL byte"},
        {long_segment,
         at + "\"" + std::string(80, 'a') + "...\" has a path segment over 255 bytes"},
        {long_path, at + "\"" + long_path.substr(0, 80) + "...\" is longer than 1024 bytes"},
        {"escape.png", at + "\"escape.png\"" + link_out},
        {"t10-link.mp4", at + "\"t10-link.mp4\"" + link_out},
        {"dir-link/secret.png", at + "\"dir-link/secret.png\"" + link_out},
        {"dir-link/not-there.mp4", at + "\"dir-link/not-there.mp4\"" + link_out},
    };
    for (const auto& [url, message] : corpus) EXPECT_EQ(refusal(url), message) << url;
}

TEST_F(SourceConfinementTest, RefusesABrokenLinkAsAMissingMedium) {
    EXPECT_EQ(refusal("broken.mp4", ErrorKind::media),
              "sources[2] (\"intro\").url: \"broken.mp4\": No such file or directory");
}

// Urls are never percent-decoded, so an escape is part of a file name: it cannot climb.
TEST_F(SourceConfinementTest, PercentEscapesAreFileNamesThatStayInside) {
    const auto root = canonical_media();
    EXPECT_EQ(resolve("%2e%2e/x"), root / "%2e%2e" / "x");
    EXPECT_EQ(resolve("file://%2e%2e%2fetc%2fpasswd"), root / "%2e%2e%2fetc%2fpasswd");
}

TEST_F(SourceConfinementTest, RemoteUrlsAreRefusedUnlessFetchingIsOn) {
    const std::string url = "https://example.com/a.mp4";
    EXPECT_EQ(refusal(url),
              "sources[2] (\"intro\").url: \"https://example.com/a.mp4\" is remote; remote "
              "sources are not fetched, put the file in the media folder and name it "
              "file://NAME");
}

// With fetching on, the server itself, its network and the cloud's metadata service stay
// out of reach: refused before any connection, naming the source and the address.
TEST_F(SourceConfinementTest, FetchingNeverReachesLoopbackPrivateOrLinkLocalAddresses) {
    SourcePolicy fetching = policy();
    fetching.remote.enabled = true;
    for (const std::string url :
         {"http://127.0.0.1:8080/api/v1/media", "https://[::1]/a.mp4", "http://10.0.0.7/a.mp4",
          "http://192.168.1.1/a.mp4", "http://169.254.169.254/latest/meta-data/",
          "http://[::ffff:127.0.0.1]/a.mp4", "http://0.0.0.0/a.mp4", "http://100.64.0.1/a.mp4",
          "http://user:pw@203.0.113.9/a.mp4"}) {
        try {
            resolve_source(komp::Source{"intro", url, Seconds(0), MediaKind::video, "", {}, {}}, 2,
                           fetching);
            ADD_FAILURE() << url << " was fetched";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << url << ": " << e.what();
            EXPECT_EQ(std::string(e.what()).rfind("sources[2] (\"intro\").url", 0), 0u) << e.what();
        }
    }
    EXPECT_FALSE(fs::exists(media_ / ".remote" / "x"));
}

// `kompo render` of one's own files: absolute paths and ".." are the user's business.
TEST_F(SourceConfinementTest, TheCommandLineKeepsTakingAnyPath) {
    EXPECT_EQ(resolve("/etc/passwd", false), fs::path("/etc/passwd"));
    EXPECT_EQ(resolve("file:///etc/passwd", false), fs::path("/etc/passwd"));
    EXPECT_EQ(resolve("../x", false), media_ / "../x");
    EXPECT_EQ(resolve("escape.png", false), media_ / "escape.png");
}

// The file behind the link is a real image: read through the link it probes fine, so the
// confined refusal is what keeps it from being read.
TEST_F(SourceConfinementTest, AServerRenderDoesNotProbeAFileOutside) {
    test::make_colour_image(outside_ / "secret.png", "red", 64, 48);
    const auto komposition = komp::parse(R"({"_id": "k", "type": "Komposition", "bpm": 120,
        "config": {"width": 64, "height": 48, "framerate": 30, "extension": "mp4"},
        "segments": [{"id": "A", "sourceid": "intro", "start": 0, "duration": 4, "end": 4}],
        "sources": [{"id": "intro", "url": "file://escape.png", "startingOffset": 0,
                     "checksums": "", "format": "", "extension": "png", "mediatype": "image"}]})");
    const auto media = probe_sources(komposition, komp::RenderRange{}, policy(false));
    EXPECT_EQ(media.at("intro").kind, MediaKind::image);
    try {
        probe_sources(komposition, komp::RenderRange{}, policy(true));
        FAIL() << "a confined render probed a file outside its media folder";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
        EXPECT_STREQ(e.what(),
                     "sources[0] (\"intro\").url: \"escape.png\" leads outside the media folder "
                     "(through a symbolic link)");
    }
}

// --- Remote address policy ------------------------------------------------------------

TEST(SourceRemoteAddress, RefusesWhatIsNotPublicUnicast) {
    for (const char* text : {"127.0.0.1",
                             "127.255.0.9",
                             "::1",
                             "10.1.2.3",
                             "172.16.0.1",
                             "172.31.255.255",
                             "192.168.1.1",
                             "169.254.169.254",
                             "fe80::1",
                             "fc00::1",
                             "fd12:3456::1",
                             "::ffff:127.0.0.1",
                             "::ffff:10.0.0.1",
                             "::ffff:169.254.169.254",
                             "100.64.0.1",
                             "100.127.255.255",
                             "0.0.0.0",
                             "::",
                             "224.0.0.1",
                             "ff02::1",
                             "255.255.255.255",
                             "240.0.0.1",
                             "192.0.2.1",
                             "64:ff9b::7f00:1",
                             "2002:7f00:1::1",
                             "2001:db8::1",
                             "2001:0:4136:e378::1",
                             "fec0::1",
                             "::127.0.0.1"}) {
        EXPECT_FALSE(remote_address_allowed(boost::asio::ip::make_address(text))) << text;
    }
}

TEST(SourceRemoteAddress, AllowsPublicAddresses) {
    for (const char* text : {"93.184.216.34", "2606:2800:220:1::1", "8.8.8.8", "172.32.0.1",
                             "100.128.0.1", "::ffff:93.184.216.34", "2002:5db8:d822::1"}) {
        EXPECT_TRUE(remote_address_allowed(boost::asio::ip::make_address(text))) << text;
    }
}

TEST(SourceRemoteAddress, ResolvingRefusesAHostWithAnyPrivateAddress) {
    EXPECT_EQ(resolve_remote_host("93.184.216.34"),
              std::vector{boost::asio::ip::make_address("93.184.216.34")});
    try {
        resolve_remote_host("127.0.0.1");
        FAIL() << "loopback resolved as allowed";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
        EXPECT_STREQ(e.what(),
                     "host \"127.0.0.1\" resolves to 127.0.0.1, which is not a public address; "
                     "remote media must be public");
    }
    try {
        resolve_remote_host("no-such-host.invalid");
        FAIL() << "an unresolvable host resolved";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::media) << e.what();
    }
}

}  // namespace
}  // namespace kompo::render
