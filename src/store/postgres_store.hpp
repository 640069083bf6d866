#pragma once
// The store on a PostgreSQL server (libpqxx), shared by every process of every machine
// that reaches it: workers of a fleet, replicas of the server. Each transaction runs on a
// connection of its own from a small pool; writes are SERIALIZABLE and rerun on a
// serialization failure or deadlock, as the SQLite store reruns on busy; a connection the
// server dropped is replaced, and the transaction rerun once when nothing was committed.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "store/patience.hpp"
#include "store/postgres_listener.hpp"
#include "store/row_names.hpp"
#include "store/sql_fields.hpp"
#include "store/store.hpp"

namespace kompo::store {

// A bounded set of connections to one server: one per transaction in progress.
class PostgresPool {
  public:
    // `url`: libpq's connection URI. Connects nothing yet.
    PostgresPool(std::string url, std::string shown_url, std::size_t size);

    // A connection for one transaction; given back when `Lease` ends unless dropped.
    class Lease {
      public:
        Lease(PostgresPool& pool, std::unique_ptr<pqxx::connection> connection)
            : pool_(&pool), connection_(std::move(connection)) {}
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        pqxx::connection& operator*() const { return *connection_; }
        // The server dropped it: closed instead of given back, with every idle one (a
        // server that went away dropped them all).
        void drop();

      private:
        PostgresPool* pool_;
        std::unique_ptr<pqxx::connection> connection_;
    };

    // Waits while every connection is in use; opens one when none is idle, retrying with
    // a doubling pause while the server cannot be reached, until `deadline`: then
    // Error(io) naming the server.
    Lease acquire(std::chrono::steady_clock::time_point deadline);

  private:
    std::unique_ptr<pqxx::connection> connect(std::chrono::steady_clock::time_point deadline);
    void give_back(std::unique_ptr<pqxx::connection> connection);
    void forget(bool close_idle);

    std::string url_;
    std::string shown_url_;
    std::size_t size_;
    std::mutex mutex_;
    std::condition_variable freed_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
    std::size_t in_use_ = 0;
};

class PostgresStore : public Store {
  public:
    // Connects to `url` ("postgres://..." or "postgresql://...") and migrates the
    // database to the current schema. Error(io) when the server cannot be reached within
    // the retry budget.
    explicit PostgresStore(std::string url, Patience patience = {}, std::size_t connections = 8);

    void write_all(const Body& body) override;
    void read_all(const Body& body) override;
    std::string url() const override;
    // NOTIFY/LISTEN: every commit that appends an event or readies a step is announced.
    ChangeSignal& changes() override { return listener_; }

  private:
    void migrate();
    enum class Mode { write, read };
    void transact(Mode mode, const Body& body);
    void attempt(pqxx::connection& connection, Mode mode, const Body& body);

    std::string url_;
    std::string shown_url_;
    Patience patience_;
    PostgresPool pool_;
    PostgresListener listener_;
};

// A conflict with a concurrent transaction (serialization failure, deadlock): the
// transaction is rerun, not failed.
class Conflict : public Error {
  public:
    explicit Conflict(const std::string& message) : Error(ErrorKind::internal, message) {}
};

// The connection broke before COMMIT: nothing was committed, and the transaction can be
// rerun on another.
class ConnectionLost : public Error {
  public:
    explicit ConnectionLost(const std::string& message) : Error(ErrorKind::io, message) {}
};

// Turns the libpqxx exception in flight into the Error the rest of the program
// understands: Conflict, ConnectionLost, or Error(internal) with the server's message.
[[noreturn]] void rethrow_as_store_error(const std::string& server);

// One transaction on one connection: every module's rows.
class PostgresTransaction : public StoreRows {
  public:
    PostgresTransaction(pqxx::transaction_base& tx, bool read_only, const std::string& server)
        : tx_(tx), read_only_(read_only), server_(server) {}

    // The first failure of the server in this transaction, if any: after it, PostgreSQL
    // refuses every statement until the end, so a body that caught it still fails.
    std::exception_ptr failure() const { return failure_; }

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
    // NOTIFY in this transaction: sent to the listeners if and when it commits (several
    // of one channel in one transaction are sent once).
    void announce(Change what);
    // Runs one statement with $1, $2... bound to `args` (nullptr binds NULL).
    template <typename... Args>
    pqxx::result run(const std::string& sql, const Args&... args) {
        try {
            try {
                return tx_.exec_params(sql, args...);
            } catch (...) {
                rethrow_as_store_error(server_);
            }
        } catch (...) {
            if (!failure_) failure_ = std::current_exception();
            throw;
        }
    }

    pqxx::transaction_base& tx_;
    bool read_only_;
    const std::string& server_;
    std::exception_ptr failure_;
};

// Field readers: NULL reads as "" and 0.
std::string text(const pqxx::field& field);
std::int64_t integer(const pqxx::field& field);
// A set of states as one text[] parameter ("{queued,running}"), for `= ANY($n)`.
template <typename State>
std::string state_array(const std::vector<State>& states) {
    std::string array = "{";
    for (const auto state : states) {
        if (array.size() > 1) array += ',';
        array += stored_name(state);
    }
    return array + "}";
}

// Parameters numbered as they are added, for queries whose filters are SQL only when set
// (PostgreSQL refuses a parameter that the text does not use).
class Parameters {
  public:
    // "$n" for `value`.
    std::string add(std::string value) {
        values_.push_back(std::move(value));
        return "$" + std::to_string(values_.size());
    }
    std::string add(std::int64_t value) { return add(std::to_string(value)); }
    auto bound() const { return pqxx::prepare::make_dynamic_params(values_); }

  private:
    std::vector<std::string> values_;
};

}  // namespace kompo::store
