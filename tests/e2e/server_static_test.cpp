// The web app's files and the Elm editor's host page, served by a real server.
#include <gtest/gtest.h>

#include <fstream>

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
