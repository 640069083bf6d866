// "Make a music video from these clips": the assistant's make_auto_komposition over a real
// platform and real media (a generated drum track and clips, analysed with FFmpeg and
// aubio): from words, over MCP, confined to the caller's tenant and role.
#include <gtest/gtest.h>

#include "assistant/mcp.hpp"
#include "assistant_support.hpp"
#include "platform/media_library.hpp"
#include "support/music_support.hpp"
#include "support/support.hpp"

namespace kompo::assistant {
namespace {

using test::AssistantWorld;

// Tenant t1 also gets a real song and two clips (besides the corpus's media documents).
class AssistantMusicVideo : public ::testing::Test {
  protected:
    void SetUp() override {
        // Beside the world's store (scratch_dir() again would empty the folder it is in).
        const auto dir = world.platform->data_dir / "generated";
        std::filesystem::create_directories(dir);
        kompo::test::make_drum_track(dir / "song.flac", 120, 0.5, 8);
        kompo::test::make_cut_clip(dir / "clip1.mp4", {60, 60}, 30, 160, 90, 0, 0);
        kompo::test::make_cut_clip(dir / "clip2.mp4", {45, 75}, 30, 160, 90, 0, 2);
        for (const std::string name : {"song.flac", "clip1.mp4", "clip2.mp4"})
            platform::MediaLibrary(*world.platform).add("t1", dir / name, name, false);
    }
    std::size_t kompositions(const std::string& tenant) {
        platform::DocumentQuery query;
        query.type = "Komposition";
        return platform::Documents(world.platform->tenant_store).list(tenant, query).size();
    }
    AssistantWorld world;
};

TEST_F(AssistantMusicVideo, WordsMakeAndStoreAKompositionCutOnTheSongsBeat) {
    const auto answer = world.assistant->ask(
        world.editor,
        {"make a music video from song.flac with clip1.mp4 and clip2.mp4, a cut every bar", "",
         "t"});
    ASSERT_FALSE(answer.refused) << answer.reply;
    ASSERT_EQ(answer.calls.size(), 1u);
    const auto& call = answer.calls[0];
    EXPECT_EQ(call["name"], "make_auto_komposition");
    EXPECT_EQ(call["arguments"]["audio"], "song.flac");
    EXPECT_EQ(call["arguments"]["clips"], Json({"clip1.mp4", "clip2.mp4"}));
    EXPECT_EQ(call["arguments"]["bars_per_cut"], 1);

    const auto id = call["result"]["id"].get<std::string>();
    const auto made = world.stored("t1", id);
    ASSERT_TRUE(made.is_object()) << id;
    EXPECT_NEAR(made["bpm"].get<double>(), 120, 0.5);
    // (8 - 0.5) s of music at 2 beats a second: 3 whole bars, one cut each.
    ASSERT_EQ(made["segments"].size(), 3u) << made.dump();
    for (const auto& segment : made["segments"]) {
        EXPECT_EQ(segment["end"].get<double>() - segment["start"].get<double>(), 4);
    }
    EXPECT_NE(answer.reply.find("Made the music video " + id + ": 3 cuts between 2 clips"),
              std::string::npos)
        << answer.reply;
}

TEST_F(AssistantMusicVideo, WithoutNamesTheOnlySongIsNeededElseItAsks) {
    // t1 has two songs (the corpus's drums.wav and song.flac): which one is asked.
    const auto answer =
        world.assistant->ask(world.editor, {"make a music video from my clips", "", "t"});
    EXPECT_TRUE(answer.refused);
    EXPECT_EQ(answer.reason, "needs_media");
    EXPECT_NE(answer.reply.find("Which song"), std::string::npos) << answer.reply;
    EXPECT_EQ(kompositions("t1"), 1u);  // only Demo
}

TEST_F(AssistantMusicVideo, NeedsTheEditPermissionAndTheCallersOwnMedia) {
    const auto viewer = test::principal("t1", auth::Role::viewer, "vi");
    const auto asked =
        world.assistant->ask(viewer, {"make a music video from song.flac with clip1.mp4", "", "t"});
    EXPECT_TRUE(asked.refused);
    EXPECT_EQ(asked.reason, "forbidden");

    // Tenant t2 has no media: the same names are not found, and nothing is stored there.
    const auto rival = test::principal("t2", auth::Role::editor, "mallory");
    const ToolCall theirs{"make_auto_komposition",
                          {{"audio", "song.flac"}, {"clips", {"clip1.mp4"}}}};
    try {
        world.assistant->call_tool(rival, theirs, "t");
        ADD_FAILURE() << "another tenant's media were used";
    } catch (const ToolRefused& refused) {
        EXPECT_EQ(refused.code(), "not_found");
        EXPECT_NE(std::string(refused.what()).find("song.flac: no such medium"), std::string::npos)
            << refused.what();
    }
    EXPECT_EQ(kompositions("t2"), 1u);  // only Secret
    EXPECT_EQ(kompositions("t1"), 1u);
}

TEST_F(AssistantMusicVideo, McpListsItAndRefusesPathsAndAClipThatIsNotAVideo) {
    McpServer server(*world.assistant, world.editor, "test");
    const auto list = server.handle_text(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})");
    bool listed = false;
    for (const auto& tool : (*list)["result"]["tools"]) {
        if (tool["name"] != "make_auto_komposition") continue;
        listed = true;
        EXPECT_EQ(tool["inputSchema"]["required"], Json({"audio", "clips"}));
    }
    EXPECT_TRUE(listed);
    const auto path = server.handle_text(
        R"({"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"make_auto_komposition","arguments":{"audio":"../t2/song.flac","clips":["clip1.mp4"]}}})");
    EXPECT_EQ((*path)["error"]["code"], -32602);
    const auto song_as_clip = server.handle_text(
        R"({"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"make_auto_komposition","arguments":{"audio":"song.flac","clips":["song.flac"]}}})");
    EXPECT_EQ((*song_as_clip)["result"]["isError"], true);
    EXPECT_NE((*song_as_clip)["result"]["content"][0]["text"].get<std::string>().find(
                  "song.flac: not a video clip"),
              std::string::npos)
        << song_as_clip->dump();
    const auto made = server.handle_text(
        R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"make_auto_komposition","arguments":{"audio":"song.flac","clips":["clip2.mp4"],"id":"mv","bars_per_cut":2}}})");
    ASSERT_EQ((*made)["result"]["isError"], false) << made->dump();
    const auto mv = world.stored("t1", "mv");
    ASSERT_EQ(mv["segments"].size(), 1u) << mv.dump();  // 7.5 s of music: one whole 4 s cut
    EXPECT_EQ(mv["segments"][0]["end"].get<double>() - mv["segments"][0]["start"].get<double>(), 8);
}

}  // namespace
}  // namespace kompo::assistant
