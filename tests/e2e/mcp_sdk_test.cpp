// The official MCP TypeScript SDK (tests/mcp, installed by scripts/setup) as a real client
// of `kompo mcp` over stdio and of a real `kompo serve`'s /mcp over streamable HTTP: it
// lists and calls the whitelisted tools, gets JSON-RPC errors for schema violations, and
// /mcp refuses foreign origins (403) and requests without a token of this server (401).
#include <gtest/gtest.h>

#include "e2e/server_support.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

const char* kDemo = R"({"_id": "Demo", "type": "Komposition", "bpm": 120,
  "segments": [{"id": "A", "sourceid": "clip", "start": 0, "duration": 16, "end": 16}],
  "sources": [{"id": "clip", "url": "clip.mp4", "startingOffset": 0, "checksums": "",
               "extension": "mp4", "mediatype": "video"}]})";

TEST(McpSdk, OfficialClientListsAndCallsToolsOverStdioAndHttp) {
    const auto dir = scratch_dir();
    ServerProcess server(dir);
    http_put_json(server.port(), "/api/v1/kompositions/Demo", nlohmann::json::parse(kDemo));
    const auto script = fs::path(KOMPO_MCP_TESTS) / "sdk_client.mjs";
    const auto result =
        run({"env", std::string("KOMPO_BIN=") + KOMPO_BIN, "KOMPO_DATA_DIR=" + dir.string(),
             "KOMPO_API_TOKEN=" + server.admin_token(),
             "KOMPO_MCP_URL=http://127.0.0.1:" + std::to_string(server.port()) + "/mcp", "node",
             script.string()});
    ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
    const auto seen = nlohmann::json::parse(result.out);
    for (const char* transport : {"stdio", "http"}) {
        SCOPED_TRACE(transport);
        const auto& t = seen[transport];
        EXPECT_EQ(t["serverName"], "kompo");
        EXPECT_EQ(
            t["tools"],
            nlohmann::json::parse(
                R"(["cancel_render","edit_komposition","explain_timing","get_komposition","list_kompositions","list_media","make_auto_komposition","render_status","start_render"])"));
        EXPECT_TRUE(t["editSchemaHasEdits"].get<bool>());
        EXPECT_NEAR(t["timingSeconds"].get<double>(), 6.857, 1e-3);
        EXPECT_EQ(t["editPatch"],
                  nlohmann::json::parse(R"([{"op":"replace","path":"/bpm","value":135}])"));
        EXPECT_EQ(t["editApplied"], false);
        EXPECT_TRUE(t["missingIsError"].get<bool>());
        for (const char* attack : {"traversal", "wrongType", "unknownTool"})
            EXPECT_EQ(t["errors"][attack]["code"], -32602) << attack << ": " << t["errors"][attack];
    }
    EXPECT_EQ(seen["statusForeignOrigin"], 403);
    EXPECT_EQ(seen["statusLocalOrigin"], 200);
    EXPECT_EQ(seen["statusNoToken"], 401);
    EXPECT_EQ(seen["statusForgedToken"], 401);
    // Proposals only: the stored komposition kept its tempo.
    EXPECT_EQ(http_get(server.port(), "/api/v1/kompositions/Demo").json()["bpm"], 120);
}

}  // namespace
}  // namespace kompo::test
