// The web app's files and the Elm editor's host page, served by a real server.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

TEST(ServerStatic, ServesTheAppConfinedToItsFolder) {
    const auto dir = scratch_dir();
    const auto web = dir / "web";
    fs::create_directories(web / "assets");
    std::ofstream(web / "index.html") << "<title>shell</title>";
    std::ofstream(web / "assets" / "app-1a2b.js") << "console.log(1)";
    std::ofstream(dir / "secret.txt") << "TOP-SECRET-CONTENT";
    fs::create_symlink(dir / "secret.txt", web / "leak.txt");
    ServerProcess server(dir / "data", {"--workers", "0", "--web-root", web.string()});

    const auto index = http_get(server.port(), "/");
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body, "<title>shell</title>");
    EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
    const auto script = http_get(server.port(), "/assets/app-1a2b.js");
    EXPECT_EQ(script.body, "console.log(1)");
    EXPECT_EQ(script.header("content-type"), "text/javascript; charset=utf-8");
    EXPECT_NE(script.header("cache-control").find("immutable"), std::string::npos);
    EXPECT_EQ(http_get(server.port(), "/kompositions/song").body, "<title>shell</title>");
    EXPECT_EQ(http_get(server.port(), "/missing.js").status, 404);
    // An API path the server lacks is a JSON 404, not the app's page.
    const auto api = http_get(server.port(), "/api/v1/nothing-here");
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(api.json()["error"], "not_found");
    // Nothing outside the folder, however asked for.
    for (const std::string target :
         {"/leak.txt", "/..%2Fsecret.txt", "/assets/..%2F..%2Fsecret.txt", "/%2E%2E/secret.txt"}) {
        const auto answer = http_get(server.port(), target);
        EXPECT_EQ(answer.body.find("TOP-SECRET"), std::string::npos) << target;
        EXPECT_NE(answer.status, 200) << target;
    }
    // The API still answers under the app.
    EXPECT_EQ(http_get(server.port(), "/healthz").status, 200);
}

// The release binary as an install or an unpacked folder has it: linked (copied when it
// cannot be) into `folder`, which the server looks around for the web app.
fs::path kompo_in(const fs::path& folder) {
    fs::create_directories(folder);
    const auto binary = folder / "kompo";
    std::error_code ec;
    fs::create_hard_link(KOMPO_BIN, binary, ec);
    if (ec) fs::copy_file(KOMPO_BIN, binary);
    return binary;
}

void write_index(const fs::path& web, const std::string& text) {
    fs::create_directories(web);
    std::ofstream(web / "index.html") << text;
}

// What `make install PREFIX=…` runs: `cmake --install` of this build into `prefix`.
fs::path install_into(const fs::path& prefix) {
    const auto result =
        run({KOMPO_CMAKE, "--install", KOMPO_BUILD_DIR, "--prefix", prefix.string(), "--strip"});
    EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
    return prefix / "bin" / "kompo";
}

// A first run from an install: `kompo serve` with no flags serves the web app installed
// with it (the one `make web` built into web/dist: `make test` builds it before this build),
// the one beside the binary (web/) before it, and says where it looked once neither is there.
TEST(ServerStatic, AnInstalledKompoServesTheInstalledWebAppWithNoFlags) {
    const auto dist = fs::path(KOMPO_SOURCE_DIR) / "web" / "dist";
    const auto built_index = file_bytes(dist / "index.html");
    ASSERT_NE(built_index.find("<script"), std::string::npos)
        << dist << ": no web app built (make web builds it; make test does before its builds)";
    const auto dir = scratch_dir();
    const auto prefix = dir / "prefix";
    const auto binary = install_into(prefix);
    const auto installed = prefix / "share" / "kompost" / "web";
    {
        ServerProcess server(dir / "data", {"--workers", "0"}, {}, binary.c_str());
        const auto index = http_get(server.port(), "/");
        EXPECT_EQ(index.status, 200);
        EXPECT_EQ(index.body, built_index);
        EXPECT_EQ(http_get(server.port(), "/renders/x").body, built_index);
        // The files the page loads came along.
        for (const auto& asset : fs::directory_iterator(dist / "assets")) {
            const auto target = "/assets/" + asset.path().filename().string();
            const auto answer = http_get(server.port(), target);
            EXPECT_EQ(answer.status, 200) << target;
            EXPECT_EQ(answer.body, file_bytes(asset.path())) << target;
        }
        EXPECT_NE(server.log().find(installed.string()), std::string::npos) << server.log();
    }
    write_index(prefix / "bin" / "web", "<title>beside</title>");
    {
        ServerProcess server(dir / "data", {"--workers", "0"}, {}, binary.c_str());
        EXPECT_EQ(http_get(server.port(), "/").body, "<title>beside</title>");
    }
    fs::remove_all(prefix / "bin" / "web");
    fs::remove_all(installed);
    ServerProcess server(dir / "data", {"--workers", "0"}, {}, binary.c_str());
    EXPECT_EQ(http_get(server.port(), "/").status, 404);
    const auto looked = "no web app found (looked in " + (prefix / "bin" / "web").string() + ", " +
                        installed.string();
    EXPECT_NE(server.log().find(looked), std::string::npos) << server.log();
}

// No app anywhere: the API is served, and one warning says where it looked and what to set.
TEST(ServerStatic, WithoutAnAppTheApiIsServedAndOneLineSaysWhereItLooked) {
    const auto dir = scratch_dir();
    const auto binary = kompo_in(dir / "bare");
    fs::create_directories(dir / "bare" / "web");  // a folder without index.html is no app
    ServerProcess server(dir / "data", {"--workers", "0"}, {}, binary.c_str());
    EXPECT_EQ(http_get(server.port(), "/").status, 404);
    EXPECT_EQ(http_get(server.port(), "/healthz").status, 200);
    std::vector<std::string> warnings;
    for (const auto& line : server.stdout_lines()) {
        if (line.find("no web app") != std::string::npos) warnings.push_back(line);
    }
    ASSERT_EQ(warnings.size(), 1u) << server.log();
    const auto warning = nlohmann::json::parse(warnings[0]);
    EXPECT_EQ(warning["level"], "warn");
    const std::string message = warning["msg"];
    EXPECT_NE(message.find((dir / "bare" / "web").string()), std::string::npos) << message;
    EXPECT_NE(message.find("share/kompost/web"), std::string::npos) << message;
    EXPECT_NE(message.find("--web-root"), std::string::npos) << message;
    EXPECT_NE(message.find("server.web_root"), std::string::npos) << message;
}

// A web root that was set but is not there is a mistake to hear of at once, not a 404 later.
TEST(ServerStatic, AWebRootThatDoesNotExistStopsTheStartNamingTheSetting) {
    const auto dir = scratch_dir();
    const auto missing = (dir / "no-such-dist").string();
    const auto flag = kompo({"serve", "--port", "0", "--workers", "0", "--data-dir",
                             (dir / "data").string(), "--web-root", missing});
    EXPECT_NE(flag.exit_code, 0);
    EXPECT_NE(flag.err.find("server.web_root (--web-root): " + missing), std::string::npos)
        << flag.err;
    EXPECT_EQ(std::count(flag.err.begin(), flag.err.end(), '\n'), 1) << flag.err;
    EXPECT_EQ(flag.out, "");
}

TEST(ServerStatic, TheElmPageSaysHowToEnableItUntilABundleIsConfigured) {
    const auto dir = scratch_dir();
    {
        ServerProcess server(dir / "data", {"--workers", "0"});
        const auto page = http_get(server.port(), "/elm-editor/");
        EXPECT_EQ(page.status, 404);
        EXPECT_NE(page.body.find("--elm-bundle"), std::string::npos);
    }
    std::ofstream(dir / "kompost.js") << "var Elm = {Main: {init: function (o) {}}};";
    ServerProcess server(dir / "data",
                         {"--workers", "0", "--elm-bundle", (dir / "kompost.js").string()});
    const auto page = http_get(server.port(), "/elm-editor/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("<script src=\"/elm-editor/kompost.js\">"), std::string::npos);
    EXPECT_NE(page.body.find("<script src=\"/elm-editor/start.js\">"), std::string::npos);
    EXPECT_EQ(page.body.find("<script>"), std::string::npos) << "no inline script (CSP)";
    EXPECT_NE(http_get(server.port(), "/elm-editor/start.js").body.find("Elm.Main.init"),
              std::string::npos);
    const auto bundle = http_get(server.port(), "/elm-editor/kompost.js");
    EXPECT_EQ(bundle.status, 200);
    EXPECT_EQ(bundle.body, "var Elm = {Main: {init: function (o) {}}};");
}

}  // namespace
}  // namespace kompo::test
