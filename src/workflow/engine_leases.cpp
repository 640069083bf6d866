// Workers' side of the engine: claiming steps and reporting on them under a lease.
#include <random>

#include "workflow/cost.hpp"
#include "workflow/engine.hpp"
#include "workflow/transitions.hpp"

namespace kompo::workflow {

namespace {

double jitter() {
    std::random_device device;
    return std::uniform_real_distribution<double>(0.5, 1.0)(device);
}

// The step, when `lease` still holds it: running under the same token.
std::optional<Step> leased_step(WorkflowRows& tx, const Lease& lease) {
    auto step = tx.step(lease.step_id);
    if (!step || step->state != StepState::running || step->lease_token != lease.token) {
        return std::nullopt;
    }
    return step;
}

// A failed attempt: retried after a backoff while the policy allows, else the step and
// its execution fail.
void record_failure(WorkflowRows& tx, Step& step, const std::string& error,
                    const std::string& error_kind, bool transient, Millis now) {
    ++step.failures;
    step.error = error;
    const auto& policy = kind_info(step.kind).retry;
    if (transient && step.failures < policy.max_failures) {
        step.not_before = now + backoff(policy, step.failures, jitter());
        detail::apply(tx, step, StepEvent::failed_transient, now,
                      {{"error", error}, {"retry_at", step.not_before}});
        return;
    }
    detail::apply(tx, step, StepEvent::failed_permanent, now, {{"error", error}});
    if (auto execution = tx.execution(step.execution_id)) {
        detail::end_execution(tx, *execution, ExecutionEvent::failed, now, error, error_kind);
    }
}

// A running step whose worker stopped heartbeating counts as a failed attempt, which
// ended at the worker's last heartbeat (a lease ago, with the claimer's lease).
void expire_lease(WorkflowRows& tx, Step& step, Millis now, Millis lease_duration) {
    charge_attempt(step, std::min(now, step.lease_expires_at - lease_duration), false);
    const std::string error = "lease of worker " + step.worker_id + " expired";
    tx.append_event(step.execution_id, now, EventType::step_lease_expired, step.name,
                    nlohmann::json{{"worker", step.worker_id}}.dump());
    record_failure(tx, step, error, "internal", true, now);
}

// A resumed attempt starts from its checkpoint's frames, not from where the last one
// was when it stopped.
std::int64_t checkpoint_frames(const Step& step) {
    if (step.checkpoint.empty()) return 0;
    const auto j = nlohmann::json::parse(step.checkpoint, nullptr, false);
    if (!j.is_object() || !j.contains("frames_done")) return 0;
    return j["frames_done"].get<std::int64_t>();
}

std::vector<Step> needed_steps(WorkflowRows& tx, const Step& step) {
    std::vector<Step> needed;
    const auto all = tx.steps_of(step.execution_id);
    for (const auto& name : step.needs) {
        for (const auto& s : all) {
            if (s.name == name) needed.push_back(s);
        }
    }
    return needed;
}

// The steps a worker leaves to the other class while a worker of it is alive (its record
// seen within one lease: a silent worker is as good as gone). A worker without a record
// or a class takes anything.
struct Claimer {
    std::string worker_class;  // as recorded; empty: none
    ClaimPreference preference;
};

Claimer claimer(WorkflowRows& tx, const std::string& worker_id, Millis now, Millis lease_duration) {
    const auto record = tx.worker(worker_id);
    const auto own = record ? worker_class_from(record->worker_class) : std::nullopt;
    if (!own) return {};
    const auto other =
        *own == WorkerClass::regular ? WorkerClass::preemptible : WorkerClass::regular;
    Claimer c{worker_class_name(*own), {{}, worker_class_name(other), now - lease_duration}};
    for (const auto& row : kStepKinds) {
        if (kind_info(row.kind).preferred_class == other) {
            c.preference.leave_to_other.push_back(row.kind);
        }
    }
    return c;
}

}  // namespace

std::optional<Claim> Engine::claim(const std::string& worker_id, Millis lease_duration,
                                   const std::string& only_execution) {
    std::optional<Claim> claim;
    // Idle workers look often: a read first keeps them from queueing for the write lock.
    bool any = false;
    Claimer who;  // the worker's own record, read once per claim
    store_.read([&](WorkflowRows& tx) {
        const Millis now = now_millis();
        who = claimer(tx, worker_id, now, lease_duration);
        any = tx.next_claimable(claim_rule(), now, only_execution, who.preference).has_value();
    });
    if (!any) return claim;
    store_.write([&](WorkflowRows& tx) {
        claim.reset();
        const Millis now = now_millis();
        // Steps found stale or already in the cache are settled here; the loop goes on
        // to the next one (each pass changes a step's state, so it ends).
        who.preference.alive_since = now - lease_duration;
        while (auto candidate =
                   tx.next_claimable(claim_rule(), now, only_execution, who.preference)) {
            Step step = *candidate;
            if (step.state == StepState::running) {
                expire_lease(tx, step, now, lease_duration);
                if (step.state != StepState::retrying || step.not_before > now) continue;
            }
            const auto artifact =
                step.artifact_key.empty()
                    ? std::nullopt
                    : detail::artifact_available(tx, artifacts_, step.artifact_key, now);
            if (artifact) {
                detail::found_in_cache(tx, step, *artifact, now);
                detail::advance(tx, step.execution_id, now);
                continue;
            }
            auto execution = tx.execution(step.execution_id);
            detail::apply(tx, *execution, ExecutionEvent::started, now);
            ++step.attempts;
            step.frames_done = checkpoint_frames(step);
            ++step.lease_token;
            step.worker_id = worker_id;
            step.worker_class = who.worker_class;
            step.lease_expires_at = now + lease_duration;
            step.started_at = now;
            step.error.clear();
            detail::apply(tx, step, StepEvent::claimed, now,
                          {{"worker", worker_id},
                           {"worker_class", step.worker_class},
                           {"attempt", step.attempts},
                           {"from_frame", step.frames_done}});
            claim = Claim{Lease{step.id, step.lease_token, worker_id}, step, needed_steps(tx, step),
                          *execution};
            return;
        }
    });
    return claim;
}

LeaseStatus Engine::heartbeat(const Lease& lease, std::int64_t frames_done, Millis lease_duration) {
    LeaseStatus status = LeaseStatus::lost;
    store_.write([&](WorkflowRows& tx) {
        auto step = leased_step(tx, lease);
        if (!step) {
            const auto row = tx.step(lease.step_id);
            const bool cancelled = row && row->state == StepState::cancelled;
            status = cancelled ? LeaseStatus::cancelled : LeaseStatus::lost;
            return;
        }
        const Millis now = now_millis();
        step->lease_expires_at = now + lease_duration;
        if (step->frames_done != frames_done) {
            step->frames_done = frames_done;
            tx.append_event(
                step->execution_id, now, EventType::step_progress, step->name,
                nlohmann::json{{"frames_done", frames_done}, {"frames_total", step->frames_total}}
                    .dump());
        }
        tx.update_step(*step);
        status = LeaseStatus::held;
    });
    return status;
}

bool Engine::checkpoint(const Lease& lease, const std::string& checkpoint,
                        std::int64_t frames_done) {
    bool held = false;
    store_.write([&](WorkflowRows& tx) {
        auto step = leased_step(tx, lease);
        held = step.has_value();
        if (!held) return;
        const Millis now = now_millis();
        step->checkpoint = checkpoint;
        step->checkpoint_at = now;
        step->frames_done = frames_done;
        tx.update_step(*step);
        tx.append_event(step->execution_id, now, EventType::step_checkpoint, step->name,
                        nlohmann::json{{"frames_done", frames_done}}.dump());
    });
    return held;
}

bool Engine::succeed(const Lease& lease, const Outcome& outcome) {
    bool recorded = false;
    store_.write([&](WorkflowRows& tx) {
        auto step = leased_step(tx, lease);
        recorded = step.has_value();
        if (!recorded) return;
        const Millis now = now_millis();
        charge_attempt(*step, now, true);
        if (outcome.artifact_file) {
            const auto extension = outcome.artifact_file->extension().string();
            const auto relative = ArtifactFiles::relative_path(step->artifact_key, extension);
            const auto size = artifacts_.publish(*outcome.artifact_file, relative);
            const auto cost = artifact_cost(*step, tx.steps_of(step->execution_id));
            tx.put_artifact(Artifact{step->artifact_key, relative, size, now, now, cost});
        }
        step->result = outcome.result;
        step->frames_done = step->frames_total;
        auto said = outcome.said;
        said["worker"] = lease.worker_id;
        detail::apply(tx, *step, StepEvent::succeeded, now, std::move(said));
        if (!outcome.expansion.empty()) {
            detail::expand(tx, artifacts_, step->execution_id, outcome.expansion, now);
        }
        detail::advance(tx, step->execution_id, now);
    });
    if (!recorded && outcome.artifact_file) {
        std::error_code ec;
        std::filesystem::remove(*outcome.artifact_file, ec);
    }
    return recorded;
}

void Engine::fail(const Lease& lease, const Error& error) {
    const bool transient = error.kind() == ErrorKind::io || error.kind() == ErrorKind::internal;
    store_.write([&](WorkflowRows& tx) {
        auto step = leased_step(tx, lease);
        if (!step) return;
        const Millis now = now_millis();
        charge_attempt(*step, now, false);
        record_failure(tx, *step, error.what(), error_kind_name(error.kind()), transient, now);
    });
}

void Engine::release(const Lease& lease) {
    store_.write([&](WorkflowRows& tx) {
        auto step = leased_step(tx, lease);
        if (!step) return;
        const Millis now = now_millis();
        charge_attempt(*step, now, false);
        step->lease_expires_at = 0;
        // What is handed back is what the next attempt resumes from: the checkpoint, whatever
        // a heartbeat counted after it (its count can be committed after the checkpoint's).
        step->frames_done = checkpoint_frames(*step);
        detail::apply(tx, *step, StepEvent::released, now,
                      {{"worker", lease.worker_id},
                       {"worker_class", step->worker_class},
                       {"frames_done", step->frames_done}});
    });
}

}  // namespace kompo::workflow
