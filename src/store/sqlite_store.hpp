#pragma once
// The store in one SQLite file, shared by every process of one machine (WAL mode: readers
// never wait for the writer; writers take turns). One connection per SqliteStore, used
// by one thread at a time.
#include <chrono>
#include <mutex>
#include <random>
#include <string>

#include "store/sqlite_handles.hpp"
#include "store/store.hpp"

namespace kompo::store {

// How long a transaction waits for other connections' locks before it fails.
struct Patience {
    std::chrono::milliseconds busy_timeout{10'000};  // SQLite's own wait, per attempt
    std::chrono::milliseconds retry_budget{30'000};  // all attempts of one transaction
};

class SqliteStore : public Store {
  public:
    // Opens or creates the database at `path` (its folder must exist) and migrates it to
    // the current schema. Error(io) when the file cannot be opened.
    explicit SqliteStore(std::string path, Patience patience = {});

    // Both are safe to call from several threads; calls take turns on the connection.
    // `body` must not call back into this store: the turn is its caller's already.
    void write(const std::function<void(Transaction&)>& body) override;
    void read(const std::function<void(Transaction&)>& body) override;
    std::string url() const override;

  private:
    void configure();
    void migrate();
    // Runs `body` between `begin` and COMMIT, again after Busy, until the budget is spent.
    // The caller holds `mutex_`.
    void transact(const char* begin, const std::function<void(Transaction&)>& body);
    void attempt(const char* begin, const std::function<void(Transaction&)>& body);
    // Runs `work` again after Busy, after a random pause, until the budget is spent; then
    // Error(internal).
    void retry_while_busy(const std::function<void()>& work);
    void back_off();

    std::string path_;
    Patience patience_;
    std::mutex mutex_;  // guards everything below
    Connection db_;
    std::minstd_rand random_;
};

class SqliteTransaction : public Transaction {
  public:
    explicit SqliteTransaction(sqlite3* db) : db_(db) {}

    void insert_execution(const Execution& execution) override;
    void update_execution(const Execution& execution) override;
    std::optional<Execution> execution(const std::string& id) override;
    std::optional<Execution> execution_by_idempotency_key(const std::string& key) override;
    std::vector<Execution> executions(std::size_t limit) override;
    std::vector<Execution> executions(const ExecutionQuery& query) override;
    std::vector<std::pair<std::string, std::int64_t>> count_executions_by_state() override;

    std::int64_t insert_step(const Step& step) override;
    void update_step(const Step& step) override;
    std::optional<Step> step(std::int64_t id) override;
    std::vector<Step> steps_of(const std::string& execution_id) override;
    std::optional<Step> next_claimable(Millis now, const std::string& execution_id) override;
    std::int64_t count_steps(StepState state) override;

    std::int64_t append_event(const std::string& execution_id, Millis at, const std::string& type,
                              const std::string& step, const std::string& detail) override;
    std::vector<Event> events(const std::string& execution_id, std::int64_t after_seq,
                              std::size_t limit) override;
    std::vector<Event> events_after(std::int64_t after_id, std::size_t limit) override;
    std::int64_t last_event_id() override;

    std::vector<Document> documents(const DocumentQuery& query) override;
    std::optional<Document> document(const std::string& tenant, const std::string& id) override;
    void put_document(const Document& document) override;

    std::optional<Artifact> artifact(const std::string& key) override;
    bool put_artifact(const Artifact& artifact) override;
    void touch_artifact(const std::string& key, Millis now) override;
    void delete_artifact(const std::string& key) override;
    std::int64_t artifacts_size() override;
    std::vector<Artifact> evictable_artifacts(std::size_t limit) override;

    std::optional<std::string> source_hash(const std::string& path, std::int64_t size,
                                           std::int64_t mtime_ns) override;
    void put_source_hash(const std::string& path, std::int64_t size, std::int64_t mtime_ns,
                         const std::string& hash) override;

    void upsert_worker(const WorkerRecord& worker) override;
    std::vector<WorkerRecord> workers() override;

  private:
    sqlite3* db_;
};

}  // namespace kompo::store
