// The workflow on a PostgreSQL store: `kompo submit` and `kompo worker`s that share a
// database on a server this run starts, not a file, and `kompo status --watch` following
// them on the store's change hints (NOTIFY).
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "support/postgres_server.hpp"
#include "workflow_support.hpp"

namespace kompo::test {
namespace {

// Waits until `file` holds `text` (failing the test after a minute).
void wait_for_text(const fs::path& file, const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
    while (file_bytes(file).find(text) == std::string::npos) {
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << file << " never said \"" << text << "\": " << file_bytes(file);
            return;
        }
        // Polling an observed condition (not a timed wait for something to happen).
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

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
    // A watch that reads the store again only when it announces new events (its poll put
    // off for ten minutes): it shows the render queued before any worker starts, then
    // follows it to its end on the hints alone.
    const auto shown = dir / "status.txt";
    auto watching = std::async(std::launch::async, [&] {
        return run({"sh", "-c",
                    "KOMPO_TEST_STATUS_POLL_MS=600000 exec timeout 300 \"$0\" status \"$1\" "
                    "--watch >\"$2\"",
                    KOMPO_TEST_BIN, id, shown.string()});
    });
    wait_for_text(shown, "execution " + id + ": queued (");
    WorkerProcess a("worker-a", dir / "a.log", {"--store", url});
    WorkerProcess b("worker-b", dir / "b.log", {"--store", url});
    const auto done = watching.get();
    ASSERT_EQ(done.exit_code, 0) << done.err << file_bytes(shown);
    const auto drawn = file_bytes(shown);
    EXPECT_EQ(
        drawn.rfind("execution " + id + ": "),
        drawn.find("execution " + id + ": succeeded (0 cached, 14 done, 0 running, 0 waiting)"))
        << drawn;

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
