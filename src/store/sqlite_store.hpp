#pragma once
// The store in one SQLite file, shared by every process of one machine (WAL mode: readers
// never wait for the writer; writers take turns). Writes take turns on one connection;
// reads run on a few read-only connections of their own, beside each other and beside
// the writes (each sees the last commit before it began).
#include <chrono>
#include <mutex>
#include <string>

#include "store/patience.hpp"
#include "store/row_names.hpp"
#include "store/sqlite_handles.hpp"
#include "store/sqlite_readers.hpp"
#include "store/sqlite_states.hpp"
#include "store/store.hpp"

namespace kompo::store {

class SqliteTransaction;

class SqliteStore : public Store {
  public:
    // Opens or creates the database at `path` (its folder must exist) and migrates it to
    // the current schema. Error(io) when the file cannot be opened.
    explicit SqliteStore(std::string path, Patience patience = {});

    // Safe to call from several threads. Writes take turns on the connection; reads wait
    // only while every read connection is busy.
    void write_all(const Body& body) override;
    void read_all(const Body& body) override;
    // One read transaction on one leased read connection (the store's transaction loop
    // for its first read, again after Busy), committed when the scope ends.
    std::unique_ptr<ReadScope> read_together() override;
    std::string url() const override;

  private:
    class SharedRead;
    void configure();
    void migrate();
    // Runs `body` between `begin` and COMMIT on `db`, again after Busy, until the budget
    // is spent; then Error(internal).
    void transact(Db db, const char* begin, const Body& body);
    // What an attempt does after `body`: commit, or leave the transaction open (a
    // read_together scope, which commits when it ends).
    enum class AfterBody { commit, keep_open };
    // `begin`, then `body`; rolled back when either throws.
    void attempt(Db db, const char* begin, const Body& body, AfterBody after = AfterBody::commit);
    Db writer();  // the caller holds `mutex_`

    std::string path_;
    Patience patience_;
    std::mutex mutex_;  // guards db_ and statements_
    Connection db_;
    StatementCache statements_;  // of db_
    Readers readers_;
};

// One transaction on one connection: every module's rows.
class SqliteTransaction : public StoreRows {
  public:
    explicit SqliteTransaction(Db db) : db_(db) {}

    void insert_execution(const Execution& execution) override;
    void update_execution(const Execution& execution) override;
    std::optional<Execution> execution(const std::string& id) override;
    std::optional<Execution> execution_by_idempotency_key(const std::string& key) override;
    std::vector<Execution> executions(const ExecutionQuery& query) override;
    std::vector<std::pair<ExecutionState, std::int64_t>> count_executions_by_state() override;

    std::int64_t insert_step(const Step& step) override;
    void update_step(const Step& step) override;
    std::optional<Step> step(std::int64_t id) override;
    std::vector<Step> steps_of(const std::string& execution_id) override;
    std::optional<Step> next_claimable(const ClaimRule& rule, Millis now,
                                       const std::string& execution_id,
                                       const workflow::ClaimPreference& preference) override;
    std::int64_t count_steps(StepState state) override;
    workflow::WorkerTimeTotals worker_time_totals() override;

    std::int64_t append_event(const std::string& execution_id, Millis at, EventType type,
                              const std::string& step, const std::string& detail) override;
    std::vector<Event> events(const std::string& execution_id, std::int64_t after_seq,
                              std::size_t limit) override;
    std::vector<Event> events_after(std::int64_t after_id, std::size_t limit) override;
    std::vector<Event> tenant_events_after(const std::string& tenant, std::int64_t after_id,
                                           std::size_t limit) override;
    std::int64_t last_event_id() override;
    std::int64_t last_event_seq(const std::string& execution_id) override;

    std::vector<Document> documents(const DocumentQuery& query) override;
    std::optional<Document> document(const std::string& tenant, const std::string& id) override;
    void put_document(const Document& document) override;

    std::optional<Artifact> artifact(const std::string& key) override;
    bool put_artifact(const Artifact& artifact) override;
    void touch_artifact(const std::string& key, Millis now) override;
    void delete_artifact(const std::string& key) override;
    std::int64_t artifacts_size() override;
    std::vector<Artifact> evictable_artifacts(const std::vector<ExecutionState>& pinning,
                                              std::size_t limit) override;

    std::optional<std::string> source_hash(const std::string& path, std::int64_t size,
                                           std::int64_t mtime_ns) override;
    void put_source_hash(const std::string& path, std::int64_t size, std::int64_t mtime_ns,
                         const std::string& hash) override;
    std::optional<std::string> probed_media(const std::string& content_hash,
                                            const std::string& probe) override;
    void put_probed_media(const std::string& content_hash, const std::string& probe,
                          const std::string& info) override;

    std::optional<User> user(const std::string& id) override;
    std::optional<User> user_by_name(const std::string& name) override;
    std::optional<User> user_by_subject(const std::string& external_subject) override;
    std::vector<User> users() override;
    void put_user(const User& user) override;
    std::vector<Membership> memberships_of(const std::string& user_id) override;
    std::vector<Membership> members_of(const std::string& tenant) override;
    void put_membership(const Membership& membership) override;

    std::optional<Credential> credential(const std::string& id) override;
    std::optional<Credential> credential_by_hash(const std::string& secret_hash) override;
    std::vector<Credential> credentials_of(const std::string& user_id) override;
    void put_credential(const Credential& credential) override;
    std::int64_t accounts_revision() override;

    std::int64_t append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> audit(const AuditQuery& query) override;

    std::optional<Quota> quota(const std::string& tenant) override;
    void put_quota(const Quota& quota) override;
    std::int64_t media_bytes(const std::string& tenant) override;
    std::int64_t count_executions_in(const std::string& tenant,
                                     const std::vector<ExecutionState>& states) override;
    std::int64_t count_executions_since(const std::string& tenant, Millis since) override;

    void upsert_worker(const WorkerRecord& worker) override;
    std::vector<WorkerRecord> workers() override;
    std::optional<WorkerRecord> worker(const std::string& id) override;

  private:
    Db db_;
};

}  // namespace kompo::store
