// The PostgreSQL instantiation of the store suite (tests/store_suite/) on a server this
// run starts, and what only that backend does: claims that pass over locked steps,
// reconnecting when the server went away, a password kept out of its url.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <pqxx/pqxx>

#include "core/error.hpp"
#include "store/migrations.hpp"
#include "store/postgres_store.hpp"
#include "store_rows_support.hpp"
#include "store_suite.hpp"
#include "support/postgres_server.hpp"
#include "workflow/vocabulary.hpp"

namespace kompo::test {

namespace {

// One server for the whole process (starting one takes about a second), a new database
// for every store a test opens.
PostgresServer& shared_server() {
    static PostgresServer server;
    return server;
}

class PostgresBackend : public StoreBackend {
  public:
    std::string fresh_url(const std::string& name) override {
        static std::atomic<int> databases{0};
        return shared_server().create_database(name + "_" + std::to_string(++databases));
    }

    std::vector<std::vector<std::string>> query(const std::string& url,
                                                const std::string& sql) override {
        pqxx::connection connection(url);
        pqxx::work tx(connection);
        std::vector<std::vector<std::string>> rows;
        for (const auto& row : tx.exec(sql)) {
            std::vector<std::string> texts;
            for (const auto& field : row) texts.push_back(field.is_null() ? "" : field.c_str());
            rows.push_back(std::move(texts));
        }
        tx.commit();
        return rows;
    }

    void execute(const std::string& url, const std::string& script) override { query(url, script); }

    std::vector<std::string> migrations() override { return store::postgres_migrations(); }
};

}  // namespace

std::vector<Backend> store_backends() {
    return {{"postgres", [] { return std::make_unique<PostgresBackend>(); }}};
}

}  // namespace kompo::test

namespace kompo::store {
namespace {

using namespace std::chrono_literals;
using namespace rows_test;

class PostgresStoreTest : public ::testing::Test {
  protected:
    test::PostgresServer& server = test::shared_server();
    std::string url = test::PostgresBackend().fresh_url("kompost");
    std::unique_ptr<Store> store = open_store(url);

    void write(const std::function<void(Transaction&)>& body) { store->write(body); }
    bool exists(const std::string& execution_id) {
        bool found = false;
        store->read([&](Transaction& t) { found = t.execution(execution_id).has_value(); });
        return found;
    }
};

// Two workers claiming at once: the second is handed the next step at once instead of
// waiting for the first one's transaction to end.
TEST_F(PostgresStoreTest, AClaimPassesOverTheStepAnotherTransactionHolds) {
    write([](Transaction& t) {
        t.insert_execution(execution("e", kNow));
        for (const auto* name : {"segment-1", "segment-2"}) {
            Step s;
            s.execution_id = "e";
            s.name = name;
            s.kind = StepKind::segment;
            s.state = StepState::ready;
            t.insert_step(s);
        }
    });
    std::promise<std::string> held;
    std::promise<void> release;
    auto released = release.get_future();
    auto holder = std::async(std::launch::async, [&] {
        store->write([&](Transaction& t) {
            held.set_value(t.next_claimable(workflow::claim_rule(), kNow, "", {})->name);
            released.wait();
        });
    });
    std::string first;
    std::future<std::string> second;
    {
        Release on_exit{release};
        first = held.get_future().get();
        second = std::async(std::launch::async, [&] {
            std::string name;
            store->write([&](Transaction& t) {
                name = t.next_claimable(workflow::claim_rule(), kNow, "", {})->name;
            });
            return name;
        });
        // A bound, not a measurement: a claim that waits for the holder never returns.
        ASSERT_EQ(second.wait_for(60s), std::future_status::ready)
            << "the claim waited for the transaction holding the first step";
    }
    holder.get();
    EXPECT_EQ(first, "segment-1");
    EXPECT_EQ(second.get(), "segment-2");
}

// Many threads on one store share a few connections: one per transaction in progress,
// at most the pool's size, kept open for the next.
TEST_F(PostgresStoreTest, ThreadsShareABoundedPoolOfConnections) {
    PostgresStore pooled(url, Patience{}, 3);
    std::vector<std::future<void>> threads;
    for (int i = 0; i < 12; ++i) {
        threads.push_back(std::async(std::launch::async, [&] {
            for (int n = 0; n < 20; ++n) {
                pooled.read([](Transaction& t) { t.executions({.limit = 1}); });
            }
        }));
    }
    for (auto& thread : threads) thread.get();
    const auto sessions = test::PostgresBackend().query(
        url,
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> "
        "pg_backend_pid()");
    // The fixture's own store holds its one connection too.
    EXPECT_LE(std::stoi(sessions.at(0).at(0)), 3 + 1);
}

TEST_F(PostgresStoreTest, ReconnectsAfterTheServerRestarted) {
    write([](Transaction& t) { t.insert_execution(execution("before", kNow)); });
    server.restart();  // every pooled connection is now broken
    write([](Transaction& t) { t.insert_execution(execution("after", kNow)); });
    EXPECT_TRUE(exists("before"));
    EXPECT_TRUE(exists("after"));
}

TEST_F(PostgresStoreTest, AWriteWaitsForAServerThatIsStartingAgain) {
    server.stop();
    auto writing = std::async(std::launch::async, [&] {
        write([](Transaction& t) { t.insert_execution(execution("while-down", kNow)); });
    });
    server.start();
    writing.get();
    EXPECT_TRUE(exists("while-down"));
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsAnIoErrorNamingIt) {
    server.stop();
    try {
        PostgresStore unreachable(url, Patience{0ms, 300ms});
        ADD_FAILURE() << "opened a store on a stopped server";
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::io);
        EXPECT_NE(std::string(error.what()).find("cannot reach " + url), std::string::npos)
            << error.what();
    }
    server.start();
}

TEST_F(PostgresStoreTest, ItsUrlKeepsThePasswordOut) {
    const auto with_password =
        "postgresql://kompo:s3cret@127.0.0.1:" + std::to_string(server.port()) +
        url.substr(url.rfind('/'));
    const auto opened = open_store(with_password);
    EXPECT_EQ(opened->url(), "postgresql://kompo:***@127.0.0.1:" + std::to_string(server.port()) +
                                 url.substr(url.rfind('/')));
}

}  // namespace
}  // namespace kompo::store
