// Opening the database, and the transaction loop that every read and write runs through.
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <thread>

#include "store/migrations.hpp"

namespace kompo::store {

namespace {

using Clock = std::chrono::steady_clock;

// Makes a writing call inside `read` fail at once instead of silently taking the write
// lock from a snapshot that may be stale (which SQLite can only refuse with Busy).
class QueryOnly {
  public:
    explicit QueryOnly(sqlite3* db) : db_(db) { execute(db_, "PRAGMA query_only = ON"); }
    ~QueryOnly() { sqlite3_exec(db_, "PRAGMA query_only = OFF", nullptr, nullptr, nullptr); }
    QueryOnly(const QueryOnly&) = delete;
    QueryOnly& operator=(const QueryOnly&) = delete;

  private:
    sqlite3* db_;
};

}  // namespace

SqliteStore::SqliteStore(std::string path, Patience patience)
    : path_(std::move(path)),
      patience_(patience),
      db_(open_connection(path_)),
      random_(std::random_device{}()) {
    configure();
    migrate();
}

void SqliteStore::configure() {
    execute(db_.get(), "PRAGMA busy_timeout = " + std::to_string(patience_.busy_timeout.count()));
    // WAL lets readers run beside the writer. FULL syncs the log at every commit: work
    // the store accepted survives a power cut, not just a crash of the process.
    // Switching a fresh file to WAL while another process opens it fails with Busy at
    // once, without waiting out busy_timeout, so it is retried like a transaction.
    retry_while_busy([&] { execute(db_.get(), "PRAGMA journal_mode = WAL"); });
    execute(db_.get(), "PRAGMA synchronous = FULL");
    execute(db_.get(), "PRAGMA foreign_keys = ON");
}

void SqliteStore::migrate() {
    std::lock_guard lock(mutex_);
    const auto scripts = migrations();
    for (std::size_t index = 0; index < scripts.size(); ++index) {
        const int version = static_cast<int>(index) + 1;
        // IMMEDIATE: of several processes opening a new file at once, one migrates and
        // the others then find the version recorded.
        transact("BEGIN IMMEDIATE",
                 [&](Transaction&) { apply_migration(db_.get(), version, scripts[index]); });
    }
}

void SqliteStore::write(const std::function<void(Transaction&)>& body) {
    std::lock_guard lock(mutex_);
    // IMMEDIATE takes the write lock before the first read, so that what `body` reads
    // cannot change before it writes; a deferred transaction could only fail at its
    // first write then.
    transact("BEGIN IMMEDIATE", body);
}

void SqliteStore::read(const std::function<void(Transaction&)>& body) {
    std::lock_guard lock(mutex_);
    QueryOnly query_only(db_.get());
    transact("BEGIN", body);
}

std::string SqliteStore::url() const {
    return "sqlite:" + path_;
}

void SqliteStore::transact(const char* begin, const std::function<void(Transaction&)>& body) {
    retry_while_busy([&] { attempt(begin, body); });
}

void SqliteStore::retry_while_busy(const std::function<void()>& work) {
    const auto deadline = Clock::now() + patience_.retry_budget;
    for (;;) {
        try {
            return work();
        } catch (const Busy&) {
            if (Clock::now() >= deadline) {
                throw Error::internal(
                    "store: " + path_ + " stayed locked by other connections for " +
                    std::to_string(patience_.retry_budget.count()) + " ms; gave up");
            }
            back_off();
        }
    }
}

void SqliteStore::attempt(const char* begin, const std::function<void(Transaction&)>& body) {
    execute(db_.get(), begin);
    try {
        SqliteTransaction transaction(db_.get());
        body(transaction);
        execute(db_.get(), "COMMIT");
    } catch (...) {
        roll_back(db_.get());
        throw;
    }
}

void SqliteStore::back_off() {
    // Random, so that writers that collided do not collide again in step.
    std::uniform_int_distribution<int> millis(1, 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(millis(random_)));
}

}  // namespace kompo::store
