// Opening the database, and the transaction loop that every read and write runs through.
#include "store/sqlite_store.hpp"

#include <sqlite3.h>

#include <random>
#include <thread>

#include "store/migrations.hpp"

namespace kompo::store {

namespace {

using Clock = std::chrono::steady_clock;

// Enough for the threads of one process that read at once (the server's I/O threads and
// handler pool, its event feed, in-process workers); more wait for one to be given back.
constexpr std::size_t kMaxReaders = 8;

void back_off() {
    // Random, so that writers that collided do not collide again in step.
    thread_local std::minstd_rand random(std::random_device{}());
    std::uniform_int_distribution<int> millis(1, 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(millis(random)));
}

// Runs `work` again after Busy, after a random pause, until the budget is spent; then
// Error(internal) naming the file.
void retry_while_busy(const std::string& path, const Patience& patience,
                      const std::function<void()>& work) {
    const auto deadline = Clock::now() + patience.retry_budget;
    for (;;) {
        try {
            return work();
        } catch (const Busy&) {
            if (Clock::now() >= deadline) {
                throw Error::internal(
                    "store: " + path + " stayed locked by other connections for " +
                    std::to_string(patience.retry_budget.count()) + " ms; gave up");
            }
            back_off();
        }
    }
}

}  // namespace

SqliteStore::SqliteStore(std::string path, Patience patience)
    : path_(std::move(path)),
      patience_(patience),
      db_(open_connection(path_)),
      statements_(db_.get()),
      readers_(path_, patience_.busy_timeout, kMaxReaders) {
    configure();
    migrate();
}

void SqliteStore::configure() {
    execute(db_.get(), "PRAGMA busy_timeout = " + std::to_string(patience_.busy_timeout.count()));
    // WAL lets readers run beside the writer. FULL syncs the log at every commit: work
    // the store accepted survives a power cut, not just a crash of the process.
    // Switching a fresh file to WAL while another process opens it fails with Busy at
    // once, without waiting out busy_timeout, so it is retried like a transaction.
    retry_while_busy(path_, patience_, [&] { execute(db_.get(), "PRAGMA journal_mode = WAL"); });
    execute(db_.get(), "PRAGMA synchronous = FULL");
    execute(db_.get(), "PRAGMA foreign_keys = ON");
}

void SqliteStore::migrate() {
    std::lock_guard lock(mutex_);
    const auto scripts = sqlite_migrations();
    for (std::size_t index = 0; index < scripts.size(); ++index) {
        const int version = static_cast<int>(index) + 1;
        // IMMEDIATE: of several processes opening a new file at once, one migrates and
        // the others then find the version recorded.
        transact(writer(), "BEGIN IMMEDIATE",
                 [&](StoreRows&) { apply_migration(db_.get(), version, scripts[index]); });
    }
}

Db SqliteStore::writer() {
    return Db(db_.get(), statements_);
}

void SqliteStore::write_all(const Body& body) {
    std::lock_guard lock(mutex_);
    // IMMEDIATE takes the write lock before the first read, so that what `body` reads
    // cannot change before it writes; a deferred transaction could only fail at its
    // first write then.
    transact(writer(), "BEGIN IMMEDIATE", body);
}

// The read transaction a read_together scope keeps open for its thread's reads. The scope
// is found through a thread-local pointer: the reads it joins are made deep inside other
// modules (the gatekeeper's credential check, a handler's service), which know nothing of
// it, and a scope belongs to the one thread that runs them.
class SqliteStore::SharedRead : public ReadScope {
  public:
    explicit SharedRead(SqliteStore& store) : store_(store), outer_(current_) { current_ = this; }
    ~SharedRead() override {
        current_ = outer_;
        if (!held_) return;
        const auto db = held_->lease.db();
        try {
            Statement(db, "COMMIT").run();
        } catch (...) {
            roll_back(db);
        }
    }
    SharedRead(const SharedRead&) = delete;
    SharedRead& operator=(const SharedRead&) = delete;

    // The scope of this thread on `store`, if one is open.
    static SharedRead* of(const SqliteStore& store) {
        return current_ && &current_->store_ == &store ? current_ : nullptr;
    }

    void run(const Body& body) {
        if (!held_) return begin_with(body);
        SqliteTransaction transaction(held_->lease.db());
        body(transaction);
    }

  private:
    struct Held {
        Readers::Lease lease;
    };

    // Like any read, but the transaction stays open for the scope's other reads.
    void begin_with(const Body& body) {
        auto held = std::unique_ptr<Held>(new Held{store_.readers_.acquire()});
        retry_while_busy(store_.path_, store_.patience_, [&] {
            store_.attempt(held->lease.db(), "BEGIN", body, AfterBody::keep_open);
        });
        held_ = std::move(held);
    }

    static thread_local SharedRead* current_;
    SqliteStore& store_;
    SharedRead* outer_;  // of another store, when scopes of two stores are open
    std::unique_ptr<Held> held_;
};

thread_local SqliteStore::SharedRead* SqliteStore::SharedRead::current_ = nullptr;

void SqliteStore::read_all(const Body& body) {
    if (auto* shared = SharedRead::of(*this)) return shared->run(body);
    // A read connection is query_only, so a writing call fails at once instead of
    // silently taking the write lock from a snapshot that may be stale.
    const auto reader = readers_.acquire();
    transact(reader.db(), "BEGIN", body);
}

std::unique_ptr<ReadScope> SqliteStore::read_together() {
    if (SharedRead::of(*this)) return std::make_unique<ReadScope>();  // joins the open one
    return std::make_unique<SharedRead>(*this);
}

std::string SqliteStore::url() const {
    return "sqlite:" + path_;
}

void SqliteStore::transact(Db db, const char* begin, const Body& body) {
    retry_while_busy(path_, patience_, [&] { attempt(db, begin, body); });
}

void SqliteStore::attempt(Db db, const char* begin, const Body& body, AfterBody after) {
    // Prepared once per connection like every other statement: parsing BEGIN and COMMIT
    // anew was a tenth of a short read.
    Statement(db, begin).run();
    try {
        SqliteTransaction transaction(db);
        body(transaction);
        if (after == AfterBody::commit) Statement(db, "COMMIT").run();
    } catch (...) {
        roll_back(db);
        throw;
    }
}

}  // namespace kompo::store
