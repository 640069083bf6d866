#pragma once
// The durable state of the platform: executions, their steps, their event logs, the
// index of cached artifacts, the documents (kompositions and media) of each tenant. The
// store holds state and runs transactions; it decides nothing. What may change into what
// is the workflow's business (src/workflow), which does all its reading and writing
// inside `Store::write` so that every decision and its record are one atomic change,
// whatever the backend (SQLite now, PostgreSQL next).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kompo::store {

// Wall-clock milliseconds since the Unix epoch: comparable across processes and machines.
using Millis = std::int64_t;
Millis now_millis();

enum class ExecutionState { queued, running, succeeded, failed, cancelled };
enum class StepState { waiting, ready, running, cached, succeeded, failed, retrying, cancelled };

const char* state_name(ExecutionState state);
const char* state_name(StepState state);
// Throws Error(internal) for a name that is not a state (a corrupt row).
ExecutionState execution_state_from(const std::string& name);
StepState step_state_from(const std::string& name);

struct Execution {
    std::string id;
    ExecutionState state = ExecutionState::queued;
    std::string idempotency_key;  // empty: none
    std::string request;          // JSON: what to render and where to publish it
    std::string result;           // JSON, once succeeded: the published artifact and output
    std::string error;            // one line, once failed
    std::string error_kind;       // ErrorKind name: decides the exit code / HTTP status
    Millis created_at = 0;
    Millis started_at = 0;  // 0: not yet
    Millis finished_at = 0;
    std::string tenant;          // owner; empty: none (a CLI render)
    std::string komposition_id;  // the Komposition document rendered; empty: none
};

struct Step {
    std::int64_t id = 0;  // assigned by the store, unique across executions
    std::string execution_id;
    std::string name;  // unique within its execution: "probe", "segment-3.2", "join"
    std::string kind;  // the workflow's step kind: "probe", "plan", "segment", ...
    StepState state = StepState::waiting;
    std::vector<std::string> needs;  // names of the steps whose artifacts this one reads
    std::string params;              // JSON: everything the step needs to run
    std::string artifact_key;        // where its output is cached; empty: no artifact
    std::string result;              // JSON: what the step produced (for steps that feed others)
    int attempts = 0;                // times it was started
    int failures = 0;                // failed attempts (errors and expired leases)
    std::string worker_id;           // holder of the current or last lease
    std::int64_t lease_token = 0;    // fencing token: increases with every claim
    Millis lease_expires_at = 0;
    Millis not_before = 0;  // a retrying step waits until then
    Millis started_at = 0;  // of the current or last attempt
    Millis finished_at = 0;
    std::int64_t frames_done = 0;
    std::int64_t frames_total = 0;
    std::string checkpoint;  // JSON: resumable progress; empty: none
    Millis checkpoint_at = 0;
    std::string error;
};

struct Event {
    std::string execution_id;
    std::int64_t seq = 0;  // 1, 2, 3... per execution
    Millis at = 0;
    std::string type;     // "execution.running", "step.succeeded", ...
    std::string step;     // step name; empty for execution events
    std::string detail;   // JSON object
    std::int64_t id = 0;  // across all executions, increasing in commit order: a feed cursor
};

// A JSON document of one tenant, CouchDB style: every change writes a new `rev`.
struct Document {
    std::string tenant;
    std::string id;    // unique within its tenant
    std::string type;  // "Komposition", "Video", "Audio", "Image"
    std::string name;
    std::string rev;            // "N-<hash>"
    std::int64_t revision = 0;  // the N of `rev`
    std::string body;           // the JSON document
    bool deleted = false;       // a tombstone; `body` is the last one before deletion
    Millis created_at = 0;
    Millis updated_at = 0;
};

// One page of a tenant's documents, by id ascending. Every member has a default, so that
// `{.tenant = t, .limit = 10}` leaves the rest out without a missing-initializer warning.
struct DocumentQuery {
    std::string tenant{};
    std::string type{};           // empty: any
    std::string name_contains{};  // substring of name or id, ASCII case-insensitive; empty: any
    std::string after_id{};       // keyset paging: only ids > this
    std::size_t limit = 50;
    bool include_deleted = false;
};

// One page of executions, newest first (created_at DESC, id DESC).
struct ExecutionQuery {
    std::string tenant{};  // empty: any tenant
    std::optional<ExecutionState> state{};
    std::string komposition_id{};  // empty: any
    // Keyset paging: only rows strictly before (before_created_at, before_id), the last
    // row of the previous page; 0 and empty: from the newest.
    Millis before_created_at = 0;
    std::string before_id{};
    std::size_t limit = 50;
};

struct Artifact {
    std::string key;
    std::string path;  // relative to the artifact root
    std::int64_t size = 0;
    Millis created_at = 0;
    Millis last_used_at = 0;
};

struct WorkerRecord {
    std::string id;
    std::string worker_class;  // "preemptible" or "regular"
    std::string host;
    std::int64_t pid = 0;
    Millis started_at = 0;
    Millis seen_at = 0;
    std::string state;  // "running", "draining", "stopped"
};

// All reads and writes, inside one transaction. Methods throw Error(internal) on a
// backend failure; the transaction is then rolled back.
// Accounts (schema v3). A user signs in with a name and password (or single sign-on) and
// belongs to tenants with a role in each.
struct User {
    std::string id;
    std::string name;           // the login name, unique
    std::string password_hash;  // Argon2id, libsodium's string form; empty: no password
    bool disabled = false;
    std::string external_subject;    // single sign-on: "<issuer> <sub>"; empty: none
    std::int64_t failed_logins = 0;  // in a row, since the last success
    Millis locked_until = 0;         // login refused until then
    Millis created_at = 0;
    Millis updated_at = 0;
};

struct Membership {
    std::string user_id;
    std::string tenant;
    std::string role;  // "viewer", "editor", "producer", "admin"
};

// A bearer secret: a browser session, an API token or a worker token. Only a hash of the
// secret is kept, so a copy of the store signs nobody in.
struct Credential {
    std::string id;
    std::string secret_hash;
    std::string kind;  // "session", "api", "worker"
    std::string user_id;
    std::string tenant;
    std::string label;
    Millis created_at = 0;
    Millis expires_at = 0;  // 0: never
    Millis revoked_at = 0;  // 0: not revoked
    Millis last_used_at = 0;
};

// One line of the append-only audit log.
struct AuditEntry {
    std::int64_t id = 0;  // assigned by the store, increasing
    Millis at = 0;
    std::string actor;    // user name, or "" when nobody was signed in
    std::string tenant;   // "" when none applies
    std::string action;   // "login", "token.create", "permission.denied", "render.start", ...
    std::string target;   // what it was done to
    std::string outcome;  // "ok", "refused", ...
    std::string remote;   // the client's address
    std::string detail;   // JSON object
};

struct AuditQuery {
    std::string tenant{};  // empty: every tenant
    std::string actor{};   // empty: anyone
    Millis since = 0;
    std::int64_t after_id = 0;
    std::size_t limit = 100;
};

// A tenant's limits; a negative value means "the configured default".
struct Quota {
    std::string tenant;
    std::int64_t storage_bytes = -1;
    std::int64_t concurrent_renders = -1;
    std::int64_t renders_per_day = -1;
    std::int64_t upload_bytes = -1;
};

class Transaction {
  public:
    virtual ~Transaction() = default;

    virtual void insert_execution(const Execution& execution) = 0;
    virtual void update_execution(const Execution& execution) = 0;
    virtual std::optional<Execution> execution(const std::string& id) = 0;
    virtual std::optional<Execution> execution_by_idempotency_key(const std::string& key) = 0;
    // Newest first.
    virtual std::vector<Execution> executions(std::size_t limit) = 0;
    // Those matching `query`, newest first, at most `query.limit`.
    virtual std::vector<Execution> executions(const ExecutionQuery& query) = 0;
    // (state name, executions in it) for the states that have any, by name.
    virtual std::vector<std::pair<std::string, std::int64_t>> count_executions_by_state() = 0;

    // Assigns and returns `step.id`.
    virtual std::int64_t insert_step(const Step& step) = 0;
    virtual void update_step(const Step& step) = 0;
    virtual std::optional<Step> step(std::int64_t id) = 0;
    virtual std::vector<Step> steps_of(const std::string& execution_id) = 0;  // by id
    // The step a worker should take next, oldest execution first: a ready step, a
    // retrying step whose `not_before` has passed, or a running step whose lease expired.
    // Only of `execution_id` when it is not empty.
    virtual std::optional<Step> next_claimable(Millis now, const std::string& execution_id) = 0;
    // Steps in `states` across all executions (queue depth, metrics).
    virtual std::int64_t count_steps(StepState state) = 0;

    // Appends with the next sequence number of that execution; returns it.
    virtual std::int64_t append_event(const std::string& execution_id, Millis at,
                                      const std::string& type, const std::string& step,
                                      const std::string& detail) = 0;
    // Events with seq > after_seq, in order, at most `limit`.
    virtual std::vector<Event> events(const std::string& execution_id, std::int64_t after_seq,
                                      std::size_t limit) = 0;
    // Events of all executions with id > after_id, by id, at most `limit`.
    virtual std::vector<Event> events_after(std::int64_t after_id, std::size_t limit) = 0;
    virtual std::vector<Event> tenant_events_after(const std::string& tenant, std::int64_t after_id,
                                                   std::size_t limit) = 0;
    // The id of the newest event; 0 when there is none.
    virtual std::int64_t last_event_id() = 0;

    // Those matching `query`, by id, at most `query.limit`.
    virtual std::vector<Document> documents(const DocumentQuery& query) = 0;
    // Tombstones too.
    virtual std::optional<Document> document(const std::string& tenant, const std::string& id) = 0;
    // Inserts, or replaces the row of (tenant, id).
    virtual void put_document(const Document& document) = 0;

    virtual std::optional<Artifact> artifact(const std::string& key) = 0;
    // Inserts, or keeps the existing row when the key is already there; returns whether
    // it inserted.
    virtual bool put_artifact(const Artifact& artifact) = 0;
    virtual void touch_artifact(const std::string& key, Millis now) = 0;
    virtual void delete_artifact(const std::string& key) = 0;
    virtual std::int64_t artifacts_size() = 0;  // sum of sizes
    // Least recently used first, leaving out every artifact that a step of a queued or
    // running execution names as its artifact_key.
    virtual std::vector<Artifact> evictable_artifacts(std::size_t limit) = 0;

    // Content hashes of source files, remembered by path, size and modification time.
    virtual std::optional<std::string> source_hash(const std::string& path, std::int64_t size,
                                                   std::int64_t mtime_ns) = 0;
    virtual void put_source_hash(const std::string& path, std::int64_t size, std::int64_t mtime_ns,
                                 const std::string& hash) = 0;

    virtual std::optional<User> user(const std::string& id) = 0;
    virtual std::optional<User> user_by_name(const std::string& name) = 0;
    virtual std::optional<User> user_by_subject(const std::string& external_subject) = 0;
    virtual std::vector<User> users() = 0;        // by name
    virtual void put_user(const User& user) = 0;  // insert or update by id
    virtual std::vector<Membership> memberships_of(const std::string& user_id) = 0;
    virtual std::vector<Membership> members_of(const std::string& tenant) = 0;
    virtual void put_membership(const Membership& membership) = 0;

    virtual std::optional<Credential> credential(const std::string& id) = 0;
    virtual std::optional<Credential> credential_by_hash(const std::string& secret_hash) = 0;
    virtual std::vector<Credential> credentials_of(const std::string& user_id) = 0;
    virtual void put_credential(const Credential& credential) = 0;  // insert or update by id

    virtual std::int64_t append_audit(const AuditEntry& entry) = 0;
    virtual std::vector<AuditEntry> audit(const AuditQuery& query) = 0;

    virtual std::optional<Quota> quota(const std::string& tenant) = 0;
    virtual void put_quota(const Quota& quota) = 0;
    // What quotas are measured against.
    virtual std::int64_t media_bytes(const std::string& tenant) = 0;
    virtual std::int64_t count_unfinished_executions(const std::string& tenant) = 0;
    virtual std::int64_t count_executions_since(const std::string& tenant, Millis since) = 0;

    virtual void upsert_worker(const WorkerRecord& worker) = 0;
    virtual std::vector<WorkerRecord> workers() = 0;
};

class Store {
  public:
    virtual ~Store() = default;

    // Runs `body` in one read-write transaction that no other writer interleaves with,
    // committed when `body` returns and rolled back when it throws (the exception then
    // propagates). A backend conflict (busy, serialization failure) reruns `body`, so it
    // must not have effects outside the transaction.
    virtual void write(const std::function<void(Transaction&)>& body) = 0;
    // A consistent read-only snapshot.
    virtual void read(const std::function<void(Transaction&)>& body) = 0;

    virtual std::string url() const = 0;
};

// "sqlite:PATH" (PATH relative to the working directory). Creates the database and
// brings its schema up to date. Throws Error(invalid_input) naming `--store` for an
// unknown scheme, Error(io) when the file cannot be opened.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace kompo::store
