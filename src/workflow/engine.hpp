#pragma once
// The workflow engine: every change of an execution or a step, decided by the tables in
// definition.hpp and recorded (state, then event) in one store transaction before anyone
// acts on it. Workers call claim / heartbeat / checkpoint / succeed / fail / release;
// clients call submit / cancel / snapshot. Safe to share between threads.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "workflow/artifact_files.hpp"
#include "workflow/definition.hpp"
#include "workflow/request.hpp"
#include "workflow/rows.hpp"

namespace kompo::workflow {

// A worker's hold on one attempt of a step. The token fences out a worker whose lease
// expired: every write it makes afterwards is refused.
struct Lease {
    std::int64_t step_id = 0;
    std::int64_t token = 0;
    std::string worker_id;
};

struct Claim {
    Lease lease;
    Step step;
    std::vector<Step> needed;  // the steps it reads, in the order of step.needs
    Execution execution;
};

enum class LeaseStatus { held, lost, cancelled };

// A step that the plan step adds: `state` is ignored (the engine decides it).
using PlannedStep = Step;

struct Outcome {
    std::string result;  // JSON for the steps that read this one's result
    // The finished output, in the artifact store's temporary folder; the engine moves it
    // under the step's key when (and only when) the success is recorded.
    std::optional<std::filesystem::path> artifact_file;
    // The plan step's steps, the last one the final output (publish).
    std::vector<PlannedStep> expansion;
    // Said in the step.succeeded event besides its state and worker (a JSON object), e.g.
    // the probe step's {"probe": {"hashed": 1, "cached": 2, "probed": 1}}.
    nlohmann::json said = nlohmann::json::object();
};

struct Snapshot {
    Execution execution;
    std::vector<Step> steps;
};

class Engine {
  public:
    Engine(WorkflowStore& store, const ArtifactFiles& artifacts);

    // Creates a queued execution (probe ready, plan waiting). With an idempotency key
    // that was used before, returns that execution's id and creates nothing.
    std::string submit(const RenderRequest& request, const std::string& idempotency_key);
    // Cancels a queued or running execution; false when it had already ended.
    // Throws Error(invalid_input) for an unknown id.
    bool cancel(const std::string& execution_id);
    std::optional<Snapshot> snapshot(const std::string& execution_id);
    // The execution's event log after `after_seq`, in order, at most `limit`.
    std::vector<Event> events(const std::string& execution_id, std::int64_t after_seq,
                              std::size_t limit = 1'000'000);

    // The next step to run, if any: of `only_execution` when it is not empty.
    std::optional<Claim> claim(const std::string& worker_id, Millis lease_duration,
                               const std::string& only_execution = {});
    LeaseStatus heartbeat(const Lease& lease, std::int64_t frames_done, Millis lease_duration);
    bool checkpoint(const Lease& lease, const std::string& checkpoint, std::int64_t frames_done);
    // Records the success (and publishes the artifact) unless the lease was lost, in
    // which case the artifact file is deleted and false returned.
    bool succeed(const Lease& lease, const Outcome& outcome);
    // Decides retry or failure from the error's kind and the retry policy.
    void fail(const Lease& lease, const Error& error);
    // Hands the step back (preemption) after its last checkpoint.
    void release(const Lease& lease);

    const ArtifactFiles& artifacts() const { return artifacts_; }
    WorkflowStore& store() { return store_; }

  private:
    WorkflowStore& store_;
    const ArtifactFiles& artifacts_;
};

// A fresh execution id: 16 random hex digits.
std::string new_execution_id();

}  // namespace kompo::workflow
