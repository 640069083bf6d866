// The workflow on a PostgreSQL store: `kompo submit` and `kompo worker`s that share a
// database on a server this run starts, not a file.
#include <cstdlib>

#include "support/postgres_server.hpp"
#include "workflow_support.hpp"

namespace kompo::test {
namespace {

TEST(WorkflowPostgres, ASubmittedRenderIsRunByWorkersSharingThePostgresStore) {
    const auto dir = scratch_dir();
    PostgresServer server;
    const auto url = server.create_database("kompost");
    // 8 one-beat segments (15 frames each at 120 BPM, 30 fps): output frame i shows
    // source frame i.
    make_numbered_clip(dir / "clip.mp4", 5, 320, 180);
    make_click_track(dir / "song.wav", 120, 5);
    Json doc = komposition_doc(120, 30, 320, 180);
    add_source(doc, "clip", "clip.mp4", "video");
    add_source(doc, "song", "song.wav", "audio");
    for (int i = 0; i < 8; ++i) add_segment(doc, "s" + std::to_string(i), "clip", i, 1);
    const auto k = write_doc(dir, doc);
    const auto out = dir / "out.mp4";

    StoreEnvironment environment(url);
    const auto id = submit(k, out, {"--store", url});
    WorkerProcess a("worker-a", dir / "a.log", {"--store", url});
    WorkerProcess b("worker-b", dir / "b.log", {"--store", url});
    const auto done = watch(id);
    ASSERT_EQ(done.exit_code, 0) << done.out << done.err;

    const auto numbers = read_frame_numbers(out);
    ASSERT_EQ(numbers.size(), 120u);
    for (int i = 0; i < 120; ++i) EXPECT_EQ(numbers[i], i) << "output frame " << i;
    // Each step ran once: the two workers never claimed the same one.
    const auto status = status_of(id);
    for (const auto& step : status["steps"]) {
        EXPECT_EQ(step["attempts"], 1) << step["name"];
        EXPECT_EQ(step_events(status, step["name"], "step.succeeded").size(), 1u) << step["name"];
    }
    // The state is in the server's database, and no SQLite file was made beside it.
    const auto state =
        run({(server.binaries() / "psql").string(), url, "--tuples-only", "--no-align", "--command",
             "SELECT state FROM executions WHERE id = '" + id + "'"});
    EXPECT_EQ(state.out, "succeeded\n") << state.err;
    EXPECT_FALSE(fs::exists(fs::path(std::getenv("KOMPO_DATA_DIR")) / "kompo.db"));
}

}  // namespace
}  // namespace kompo::test
