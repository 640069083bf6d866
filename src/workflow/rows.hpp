#pragma once
// The rows the workflow keeps, and the small interfaces it reads and writes them through:
// executions, steps, events (the engine), artifacts and source hashes (the cache), workers
// (the worker registry). Declared here, where they are used; a store backend (src/store)
// implements them. A workflow decision runs in one `WorkflowStore::write`, so its
// read-modify-write and the event that records it are one atomic change.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/transactional.hpp"
#include "workflow/vocabulary.hpp"

namespace kompo::workflow {

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
    StepKind kind = StepKind::probe;
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
    // Cost accounting (workflow/cost.hpp), in worker milliseconds: the class of the
    // current or last lease holder; the time of all its attempts by class; of that, the
    // work not kept (attempts that ended without success, after their last checkpoint);
    // and, for a step found in the cache, what making its artifact had cost.
    std::string worker_class;
    Millis regular_ms = 0;
    Millis preemptible_ms = 0;
    Millis lost_ms = 0;
    Millis saved_ms = 0;
};

struct Event {
    std::string execution_id;
    std::int64_t seq = 0;  // 1, 2, 3... per execution
    Millis at = 0;
    EventType type = EventType::execution_queued;
    std::string step;     // step name; empty for execution events
    std::string detail;   // JSON object
    std::int64_t id = 0;  // across all executions, increasing in commit order: a feed cursor
};

// Steps a worker leaves to workers of `other_class` while one of them is alive: recorded
// as "running" and seen at or after `alive_since`. No kinds: it takes any step.
struct ClaimPreference {
    std::vector<StepKind> leave_to_other{};
    std::string other_class{};
    Millis alive_since = 0;
};

// Worker time of all steps, in milliseconds (metrics): by class, lost, saved by the cache.
struct WorkerTimeTotals {
    Millis regular_ms = 0;
    Millis preemptible_ms = 0;
    Millis lost_ms = 0;
    Millis saved_ms = 0;
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
    Millis cost_ms = 0;  // worker time it took to make, with what it was made from
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

class ExecutionRows {
  public:
    virtual ~ExecutionRows() = default;
    virtual void insert_execution(const Execution& execution) = 0;
    virtual void update_execution(const Execution& execution) = 0;
    virtual std::optional<Execution> execution(const std::string& id) = 0;
    virtual std::optional<Execution> execution_by_idempotency_key(const std::string& key) = 0;
    // Those matching `query`, newest first, at most `query.limit`.
    virtual std::vector<Execution> executions(const ExecutionQuery& query) = 0;
    // (state, executions in it) for the states that have any.
    virtual std::vector<std::pair<ExecutionState, std::int64_t>> count_executions_by_state() = 0;
};

class StepRows {
  public:
    virtual ~StepRows() = default;
    // Assigns and returns `step.id`.
    virtual std::int64_t insert_step(const Step& step) = 0;
    virtual void update_step(const Step& step) = 0;
    virtual std::optional<Step> step(std::int64_t id) = 0;
    virtual std::vector<Step> steps_of(const std::string& execution_id) = 0;  // by id
    // The step `rule` lets a worker take next, oldest execution first, then lowest id;
    // only of `execution_id` when it is not empty; none that `preference` leaves to a
    // live worker of the other class.
    virtual std::optional<Step> next_claimable(const ClaimRule& rule, Millis now,
                                               const std::string& execution_id,
                                               const ClaimPreference& preference) = 0;
    // Steps in `state` across all executions (queue depth, metrics).
    virtual std::int64_t count_steps(StepState state) = 0;
    // Sums of the cost accounting columns over all steps.
    virtual WorkerTimeTotals worker_time_totals() = 0;
};

class EventRows {
  public:
    virtual ~EventRows() = default;
    // Appends with the next sequence number of that execution; returns it.
    virtual std::int64_t append_event(const std::string& execution_id, Millis at, EventType type,
                                      const std::string& step, const std::string& detail) = 0;
    // Events with seq > after_seq, in order, at most `limit`.
    virtual std::vector<Event> events(const std::string& execution_id, std::int64_t after_seq,
                                      std::size_t limit) = 0;
    // Events of all executions with id > after_id, by id, at most `limit`.
    virtual std::vector<Event> events_after(std::int64_t after_id, std::size_t limit) = 0;
    // The same, of the executions of `tenant` only.
    virtual std::vector<Event> tenant_events_after(const std::string& tenant, std::int64_t after_id,
                                                   std::size_t limit) = 0;
    // The id of the newest event; 0 when there is none.
    virtual std::int64_t last_event_id() = 0;
    // The seq of the execution's newest event, 0 when it has none: one lookup on the
    // (execution_id, seq) index, what a cached view of the execution is checked against.
    virtual std::int64_t last_event_seq(const std::string& execution_id) = 0;
};

// The index of the content-addressed artifact files (the cache).
class ArtifactRows {
  public:
    virtual ~ArtifactRows() = default;
    virtual std::optional<Artifact> artifact(const std::string& key) = 0;
    // Inserts, or keeps the existing row when the key is already there; returns whether
    // it inserted.
    virtual bool put_artifact(const Artifact& artifact) = 0;
    virtual void touch_artifact(const std::string& key, Millis now) = 0;
    virtual void delete_artifact(const std::string& key) = 0;
    virtual std::int64_t artifacts_size() = 0;  // sum of sizes
    // Least recently used first, leaving out every artifact that a step of an execution
    // in one of `pinning` names as its artifact_key.
    virtual std::vector<Artifact> evictable_artifacts(const std::vector<ExecutionState>& pinning,
                                                      std::size_t limit) = 0;
};

// Content hashes of source files (what cache keys of segments are made of), remembered by
// path, size and modification time; and what probing a content found (a MediaInfo as JSON),
// by content hash and probe (which probe, of which version: "streams-1", "keyframes-1").
class SourceHashRows {
  public:
    virtual ~SourceHashRows() = default;
    virtual std::optional<std::string> source_hash(const std::string& path, std::int64_t size,
                                                   std::int64_t mtime_ns) = 0;
    virtual void put_source_hash(const std::string& path, std::int64_t size, std::int64_t mtime_ns,
                                 const std::string& hash) = 0;
    virtual std::optional<std::string> probed_media(const std::string& content_hash,
                                                    const std::string& probe) = 0;
    // Inserts, or keeps the row already there (equal content probed alike is equal info).
    virtual void put_probed_media(const std::string& content_hash, const std::string& probe,
                                  const std::string& info) = 0;
};

// The workers that run steps, as they last reported themselves.
class WorkerRows {
  public:
    virtual ~WorkerRows() = default;
    virtual void upsert_worker(const WorkerRecord& worker) = 0;
    virtual std::vector<WorkerRecord> workers() = 0;
    virtual std::optional<WorkerRecord> worker(const std::string& id) = 0;
};

// What one workflow transaction reaches.
class WorkflowRows : public ExecutionRows,
                     public StepRows,
                     public EventRows,
                     public ArtifactRows,
                     public SourceHashRows,
                     public WorkerRows {};

using WorkflowStore = Transactional<WorkflowRows>;

}  // namespace kompo::workflow
