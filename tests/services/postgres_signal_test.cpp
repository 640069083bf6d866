// What lets several processes on one PostgreSQL server follow each other: the global event
// feed read by cursor misses no event whose transaction commits after a later id's, and
// the change signal (LISTEN/NOTIFY) wakes a watcher in one process when another commits,
// also after the server restarted.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>

#include "store/postgres_store.hpp"
#include "store_rows_support.hpp"
#include "support/postgres_server.hpp"

namespace kompo::store {
namespace {

using namespace std::chrono_literals;
using namespace rows_test;

test::PostgresServer& server() {
    static test::PostgresServer shared;
    return shared;
}

std::string fresh_database() {
    static int databases = 0;
    return server().create_database("signal_" + std::to_string(++databases));
}

void append(Store& store, const std::string& execution_id) {
    store.write([&](Transaction& t) {
        t.append_event(execution_id, kNow, EventType::step_progress, "segment-1", "{}");
    });
}

std::vector<std::int64_t> ids_after(Store& store, std::int64_t cursor) {
    std::vector<std::int64_t> ids;
    store.read([&](Transaction& t) {
        for (const auto& event : t.events_after(cursor, 100)) ids.push_back(event.id);
    });
    return ids;
}

// Sessions of the database waiting for an advisory lock.
int waiting_for_advisory_lock(const std::string& url) {
    pqxx::connection connection(url);
    pqxx::work tx(connection);
    return tx.exec1("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")[0]
        .as<int>();
}

// Ids are handed out before commit: the first append takes id N and stays uncommitted
// while a second takes N + 1. Were the second to commit first, a reader would move its
// cursor past N and never see it.
TEST(PostgresFeed, AReaderNeverPassesAnEventWhoseTransactionCommitsLater) {
    const auto url = fresh_database();
    PostgresStore store(url);
    store.write([](Transaction& t) {
        t.insert_execution(execution("slow", kNow));
        t.insert_execution(execution("quick", kNow));
    });
    append(store, "slow");
    const auto start = ids_after(store, 0).back();

    std::promise<void> appended;
    std::promise<void> release;
    auto released = release.get_future();
    auto slow = std::async(std::launch::async, [&] {
        store.write([&](Transaction& t) {
            t.append_event("slow", kNow, EventType::step_progress, "segment-1", "{}");
            appended.set_value();
            released.wait();
        });
    });
    std::vector<std::int64_t> seen;
    std::int64_t cursor = start;
    std::future<void> quick;  // before the release: its end waits for the slow one's
    {
        Release on_exit{release};
        appended.get_future().get();
        quick = std::async(std::launch::async, [&] { append(store, "quick"); });
        // The quick append either waits for the slow one to commit, or has committed.
        while (quick.wait_for(10ms) != std::future_status::ready &&
               waiting_for_advisory_lock(url) == 0) {
        }
        seen = ids_after(store, cursor);  // a live feed's read while the slow one is open
        if (!seen.empty()) cursor = seen.back();
    }
    slow.get();
    quick.get();
    for (const auto id : ids_after(store, cursor)) seen.push_back(id);
    EXPECT_EQ(seen, ids_after(store, start)) << "the feed passed an event committed later";
    EXPECT_EQ(seen.size(), 2u);
}

// Counts the wakes of a watch; waits for a number of them.
class Wakes {
  public:
    std::function<void()> counter() {
        return [this] {
            std::lock_guard lock(mutex_);
            ++count_;
            changed_.notify_all();
        };
    }
    // True when there were at least `count` within `timeout` (a bound, not a measurement).
    bool reach(int count, std::chrono::seconds timeout = 30s) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, timeout, [&] { return count_ >= count; });
    }
    int count() {
        std::lock_guard lock(mutex_);
        return count_;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int count_ = 0;
};

// Two stores on one database: two processes of a fleet, each with its own connections.
class PostgresSignal : public ::testing::Test {
  protected:
    std::string url = fresh_database();
    PostgresStore watching{url};
    PostgresStore writing{url};

    void SetUp() override {
        writing.write([](Transaction& t) { t.insert_execution(execution("e", kNow)); });
    }
};

TEST_F(PostgresSignal, AnEventCommittedByAnotherProcessWakesTheWatcher) {
    Wakes events;
    const auto watch = watching.changes().watch(Change::events, events.counter());
    ASSERT_TRUE(events.reach(1)) << "not woken once listening";
    append(writing, "e");
    EXPECT_TRUE(events.reach(2)) << "the append was not announced";
}

TEST_F(PostgresSignal, AReadyStepWakesStepWatchersOnly) {
    Wakes steps, events;
    const auto steps_watch = watching.changes().watch(Change::steps, steps.counter());
    const auto events_watch = watching.changes().watch(Change::events, events.counter());
    ASSERT_TRUE(steps.reach(1) && events.reach(1)) << "not woken once listening";
    writing.write([](Transaction& t) {
        Step step;
        step.execution_id = "e";
        step.name = "probe";
        step.kind = StepKind::probe;
        step.state = StepState::ready;
        t.insert_step(step);
    });
    EXPECT_TRUE(steps.reach(2)) << "the ready step was not announced";
    append(writing, "e");  // announced on the other channel, after the step's
    ASSERT_TRUE(events.reach(2));
    EXPECT_EQ(steps.count(), 2);
}

// What was committed while the listener was away was announced to nobody: it wakes every
// watcher once it listens again, and announcements reach it as before.
TEST_F(PostgresSignal, AfterTheServerRestartedTheWatcherIsWokenAndListensAgain) {
    Wakes events;
    const auto watch = watching.changes().watch(Change::events, events.counter());
    ASSERT_TRUE(events.reach(1));
    server().restart();
    EXPECT_TRUE(events.reach(2)) << "not woken after listening again";
    append(writing, "e");
    EXPECT_TRUE(events.reach(3)) << "the append after the restart was not announced";
}

}  // namespace
}  // namespace kompo::store
