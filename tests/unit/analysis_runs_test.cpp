// The server's analysis runs: one run per cache entry however many ask, background jobs
// bounded and stopped (the run being made cancelled, the queue dropped) with the server.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "core/error.hpp"
#include "platform/analysis_runs.hpp"

namespace kompo::platform {
namespace {

using namespace std::chrono_literals;

analysis::MediumAnalysis lasting(double seconds) {
    analysis::MediumAnalysis made;
    made.kind = MediaKind::audio;
    made.duration = Seconds(seconds);
    return made;
}

// Waits, bounded, until `done()` holds; whether it does.
template <class Done>
bool eventually(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::yield();
    }
    return true;
}

TEST(AnalysisRuns, ASecondAskerWaitsForTheRunBeingMade) {
    AnalysisRuns runs(0, {});
    std::promise<void> started;
    std::promise<void> release;
    auto first = std::async(std::launch::async, [&] {
        return runs.run("song", [&](const std::atomic<bool>&) {
            started.set_value();
            release.get_future().wait();
            return lasting(7);
        });
    });
    started.get_future().wait();
    int second_runs = 0;
    auto second = std::async(std::launch::async, [&] {
        return runs.run("song", [&](const std::atomic<bool>&) {
            ++second_runs;
            return lasting(1);
        });
    });
    ASSERT_TRUE(eventually([&] { return runs.waiting() == 1; }));
    release.set_value();
    EXPECT_EQ(first.get().duration, Seconds(7));
    EXPECT_EQ(second.get().duration, Seconds(7));  // the first run's answer
    EXPECT_EQ(second_runs, 0);
    EXPECT_EQ(runs.waiting(), 0u);

    // Once made, another key or the same key again is a run of its own.
    EXPECT_EQ(runs.run("song", [](const std::atomic<bool>&) { return lasting(3); }).duration,
              Seconds(3));
}

TEST(AnalysisRuns, AFailedRunsErrorReachesItsWaiters) {
    AnalysisRuns runs(0, {});
    std::promise<void> started;
    std::promise<void> release;
    auto first = std::async(std::launch::async, [&] {
        return runs.run("clip", [&](const std::atomic<bool>&) -> analysis::MediumAnalysis {
            started.set_value();
            release.get_future().wait();
            throw Error::media("clip.mp4: undecodable");
        });
    });
    started.get_future().wait();
    auto second = std::async(std::launch::async, [&] {
        return runs.run("clip", [](const std::atomic<bool>&) { return lasting(1); });
    });
    ASSERT_TRUE(eventually([&] { return runs.waiting() == 1; }));
    release.set_value();
    EXPECT_THROW(first.get(), Error);
    try {
        second.get();
        ADD_FAILURE() << "the waiter got an answer the run never made";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "clip.mp4: undecodable");
    }
}

TEST(AnalysisRuns, BackgroundJobsRunAndReportHowTheyEnded) {
    std::promise<std::pair<std::string, std::string>> reported;
    AnalysisRuns runs(1, [&](const std::string& label, const std::string& error) {
        reported.set_value({label, error});
    });
    EXPECT_TRUE(runs.enqueue("default/song.flac", [] { throw Error::media("song.flac: bad"); }));
    const auto [label, error] = reported.get_future().get();
    EXPECT_EQ(label, "default/song.flac");
    EXPECT_EQ(error, "song.flac: bad");
}

TEST(AnalysisRuns, StoppingCancelsTheRunAndDropsTheQueue) {
    AnalysisRuns runs(1, {});
    std::promise<void> started;
    bool saw_cancel = false;
    ASSERT_TRUE(runs.enqueue("default/long.flac", [&] {
        runs.run("long", [&](const std::atomic<bool>& cancelled) -> analysis::MediumAnalysis {
            started.set_value();
            while (!cancelled) std::this_thread::yield();
            saw_cancel = true;
            throw Error::cancelled("long.flac: cancelled");
        });
    }));
    started.get_future().wait();
    bool queued_ran = false;
    ASSERT_TRUE(runs.enqueue("default/next.flac", [&] { queued_ran = true; }));
    runs.stop();  // returns once the thread has ended
    EXPECT_TRUE(saw_cancel);
    EXPECT_FALSE(queued_ran);
    EXPECT_FALSE(runs.enqueue("default/late.flac", [] {}));
    EXPECT_THROW(runs.run("late", [](const std::atomic<bool>&) { return lasting(1); }), Error);
}

TEST(AnalysisRuns, WithoutBackgroundThreadsNothingIsQueued) {
    AnalysisRuns runs(0, {});
    EXPECT_FALSE(runs.enqueue("default/song.flac", [] {}));
}

}  // namespace
}  // namespace kompo::platform
