// What only the SQLite backend does (WAL, its own wait for locks, migrating files that
// older releases left, its url), and the SQLite instantiation of the store suite
// (tests/store_suite/).
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <future>

#include "core/error.hpp"
#include "store/migrations.hpp"
#include "store/sqlite_handles.hpp"
#include "store/sqlite_store.hpp"
#include "store_rows_support.hpp"
#include "store_suite.hpp"
#include "support/support.hpp"

namespace kompo::test {

namespace {

// Files in the test's folder, which is chosen once: scratch_dir() empties it.
class SqliteBackend : public StoreBackend {
  public:
    std::string fresh_url(const std::string& name) override {
        return "sqlite:" + (folder_ / (name + ".db")).string();
    }

    std::vector<std::vector<std::string>> query(const std::string& url,
                                                const std::string& sql) override {
        const auto db = store::open_connection(url.substr(std::string("sqlite:").size()));
        store::Statement statement(db.get(), sql);
        std::vector<std::vector<std::string>> rows;
        while (statement.step()) {
            std::vector<std::string> row;
            for (int column = 0; column < statement.columns(); ++column) {
                row.push_back(statement.text(column));
            }
            rows.push_back(std::move(row));
        }
        return rows;
    }

    void execute(const std::string& url, const std::string& script) override {
        const auto db = store::open_connection(url.substr(std::string("sqlite:").size()));
        store::execute(db.get(), "BEGIN IMMEDIATE;" + script + "COMMIT;");
    }

    std::vector<std::string> migrations() override { return store::sqlite_migrations(); }

  private:
    fs::path folder_ = scratch_dir();
};

}  // namespace

std::vector<Backend> store_backends() {
    return {{"sqlite", [] { return std::make_unique<SqliteBackend>(); }}};
}

}  // namespace kompo::test

namespace kompo::store {
namespace {

using namespace std::chrono_literals;
using namespace rows_test;
namespace fs = std::filesystem;

class SqliteStoreTest : public ::testing::Test {
  protected:
    fs::path folder = test::scratch_dir();
    std::string path = (folder / "kompost.db").string();
    std::unique_ptr<Store> store = open_store("sqlite:" + path);

    void write(const std::function<void(Transaction&)>& body) { store->write(body); }
};

TEST_F(SqliteStoreTest, DatabaseIsInWalModeSoReadersDoNotBlockTheWriter) {
    const auto db = open_connection(path);
    Statement query(db.get(), "PRAGMA journal_mode");
    ASSERT_TRUE(query.step());
    EXPECT_EQ(query.text(0), "wal");
}

TEST_F(SqliteStoreTest, ReadersSeeTheLastCommitWhileAWriterWorksAndWritersGiveUpInTime) {
    write([](Transaction& t) { t.insert_execution(execution("before", kNow)); });
    const Patience impatient{20ms, 200ms};
    SqliteStore other(path, impatient);  // opened before the lock: opening migrates

    std::promise<void> locked;
    std::promise<void> release;
    auto released = release.get_future();
    auto holder = hold_write_lock(*store, locked, released);

    std::vector<Execution> seen;
    std::string refusal;
    auto waited = 0ms;
    {
        Release on_exit{release};
        locked.get_future().get();
        other.read([&](Transaction& t) { seen = t.executions({.limit = 10}); });
        const auto start = std::chrono::steady_clock::now();
        try {
            other.write([](Transaction& t) { t.insert_execution(execution("late", kNow)); });
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::internal);
            refusal = error.what();
        }
        waited = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - start);
    }
    holder.get();

    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].id, "before");
    EXPECT_NE(refusal.find(path), std::string::npos) << refusal;
    EXPECT_GE(waited, impatient.retry_budget);
    other.read([](Transaction& t) {
        EXPECT_TRUE(t.execution("during").has_value());
        EXPECT_FALSE(t.execution("late").has_value());
    });
}

// read_together: the server's credential check and a cheap route's answer in one read.
TEST_F(SqliteStoreTest, ReadsTogetherShareOneSnapshotUntilTheScopeEnds) {
    write([](Transaction& t) { t.insert_execution(execution("before", kNow)); });
    SqliteStore other(path);  // another process
    const auto seen = [&](const std::string& id) {
        bool found = false;
        store->read([&](Transaction& t) { found = t.execution(id).has_value(); });
        return found;
    };
    {
        const auto together = store->read_together();
        EXPECT_TRUE(seen("before"));
        other.write([](Transaction& t) { t.insert_execution(execution("theirs", kNow)); });
        // This thread may write in the scope (the gatekeeper's audit): nothing waits.
        write([](Transaction& t) { t.insert_execution(execution("own", kNow)); });
        EXPECT_FALSE(seen("theirs"));  // the snapshot of the first read
        EXPECT_FALSE(seen("own"));
        const auto inner = store->read_together();  // joins the open one
        EXPECT_FALSE(seen("theirs"));
    }
    EXPECT_TRUE(seen("theirs"));
    EXPECT_TRUE(seen("own"));
    // Each scope gives its connection back: more scopes one after another than there
    // are read connections (8) all read.
    for (int i = 0; i < 20; ++i) {
        const auto together = store->read_together();
        EXPECT_TRUE(seen("own"));
    }
    // A scope on another thread is its own: it sees the commit this one does not.
    const auto together = store->read_together();
    EXPECT_TRUE(seen("own"));
    other.write([](Transaction& t) { t.insert_execution(execution("later", kNow)); });
    EXPECT_FALSE(seen("later"));
    EXPECT_TRUE(std::async(std::launch::async, [&] {
                    const auto theirs = store->read_together();
                    return seen("later");
                }).get());
}

TEST(StoreOpen, RejectsAnUrlThatIsNotAStore) {
    for (const std::string url :
         {"mysql://db/kompost", "kompost.db", "sqlite:", "postgres:kompost"}) {
        try {
            open_store(url);
            ADD_FAILURE() << url << " was accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::invalid_input);
            EXPECT_EQ(std::string(error.what()),
                      "--store: \"" + url +
                          "\" is not a store url (expected sqlite:PATH or "
                          "postgres://USER@HOST/DATABASE)");
        }
    }
}

TEST(StoreOpen, CreatesTheFolderOfTheDatabase) {
    const auto file = test::scratch_dir() / "state" / "deeper" / "kompost.db";
    const auto url = "sqlite:" + file.string();
    const auto store = open_store(url);
    EXPECT_TRUE(fs::is_regular_file(file));
    EXPECT_EQ(store->url(), url);
}

TEST(StoreOpen, ReportsAnUnusablePathAsAnIoError) {
    const auto folder = test::scratch_dir();
    std::ofstream(folder / "a-file") << "not a folder";
    std::ofstream(folder / "not-a-db") << "this is text, not an SQLite database, honestly";
    for (const auto& path : {folder / "a-file" / "kompost.db", folder, folder / "not-a-db"}) {
        try {
            open_store("sqlite:" + path.string());
            ADD_FAILURE() << path << " was accepted";
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::io) << error.what();
        }
    }
}

}  // namespace
}  // namespace kompo::store
