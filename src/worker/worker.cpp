#include "worker/worker.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "core/random_hex.hpp"
#include "core/usable_cores.hpp"
#include "worker/step_runner.hpp"
#include "workflow/cache.hpp"

namespace kompo::worker {

namespace {

Millis steady_millis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// Often enough that a lease survives two lost beats; at least every second so that a
// cancel reaches running steps promptly and progress looks live.
Millis heartbeat_interval(Millis lease) {
    return std::clamp<Millis>(lease / 4, 20, 1000);
}

// Preempted steps that are not checkpointed get the grace period less this margin to
// finish, then are handed back so the worker still exits in time.
constexpr Millis kGraceMargin = 1500;

}  // namespace

namespace {

std::string host_name() {
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    return host;
}

}  // namespace

std::string default_worker_id() {
    return host_name() + "-" + std::to_string(::getpid()) + "-" + random_hex(4);
}

struct Worker::Active {
    workflow::Lease lease;
    std::string name;
    bool checkpointed = false;
    Millis started = steady_millis();
    Millis timeout = 0;
    std::atomic<std::int64_t> frames{0};
    std::atomic<bool> cancelled{false};            // the media work stops at its next frame
    std::atomic<bool> lost{false};                 // the lease is gone: report nothing
    std::atomic<bool> execution_cancelled{false};  // its checkpointed parts are of no use
    std::atomic<bool> timed_out{false};
    std::atomic<Millis> last_checkpoint{steady_millis()};
};

namespace {

Millis millis_of(double seconds) {
    return static_cast<Millis>(seconds * 1000);
}

}  // namespace

Worker::Worker(workflow::Engine& engine, WorkerOptions options)
    : engine_(engine),
      options_(std::move(options)),
      lease_(millis_of(options_.settings.lease_seconds)),
      checkpoint_interval_(millis_of(options_.settings.checkpoint_interval_seconds)),
      grace_(millis_of(options_.settings.grace_seconds)),
      cores_(usable_cores()) {
    if (options_.id.empty()) options_.id = default_worker_id();
}

Worker::~Worker() {
    stop();
    join();
}

void Worker::start() {
    record_worker("running");
    if (options_.changes) {
        watch_ = options_.changes->watch(Change::steps, [this] {
            std::lock_guard lock(mutex_);
            wake_one_slot(true);
        });
    }
    slots_running_ = options_.slots;
    for (int i = 0; i < options_.slots; ++i) {
        slots_.emplace_back([this] {
            run_slot();
            std::lock_guard lock(mutex_);
            --slots_running_;
            wake_.notify_all();
        });
    }
    heartbeat_ = std::thread([this] { heartbeat_loop(); });
}

void Worker::stop() {
    stopping_ = true;
    std::lock_guard lock(mutex_);
    for (auto* active : active_) active->cancelled = true;
    wake_.notify_all();
    work_.notify_all();
}

void Worker::preempt() {
    if (preempting_.exchange(true)) return;
    preempted_at_ = steady_millis();
    record_worker("draining");
    std::lock_guard lock(mutex_);
    wake_.notify_all();
    work_.notify_all();
}

void Worker::join() {
    for (auto& slot : slots_) slot.join();
    slots_.clear();
    if (heartbeat_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            wake_.notify_all();
        }
        heartbeat_.join();
        record_worker("stopped");
    }
    watch_.reset();  // not under mutex_: the signal takes it to wake the slots
}

bool Worker::wait_finished(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return wake_.wait_for(lock, timeout, [this] { return slots_running_ == 0; });
}

std::uint64_t Worker::wait_step_ended(std::uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, timeout, [&] { return steps_ended_ > seen || slots_running_ == 0; });
    return steps_ended_;
}

void Worker::wake_one_slot(bool announced) {
    // A slot that is not idle looks anyway when it is; an announcement is kept for the one
    // that may be looking right now, and may have looked too early.
    if (!announced && idle_slots_ == 0) return;
    look_for_work_ = true;
    work_.notify_one();
}

void Worker::wait_for_work() {
    std::unique_lock lock(mutex_);
    ++idle_slots_;
    work_.wait_for(lock, std::chrono::milliseconds(options_.idle_poll),
                   [&] { return stopping_ || preempting_ || look_for_work_; });
    --idle_slots_;
    look_for_work_ = false;
}

void Worker::run_slot() {
    while (!stopping_ && !preempting_) {
        std::optional<workflow::Claim> claim;
        try {
            claim = engine_.claim(options_.id, lease_, options_.only_execution);
        } catch (const std::exception& e) {
            spdlog::warn("worker {}: cannot claim: {}", options_.id, e.what());
        }
        if (claim) {
            {
                std::lock_guard lock(mutex_);
                wake_one_slot(false);  // more steps may be ready: the next idle slot looks
            }
            run_claim(*claim);
            continue;
        }
        // A wake that came while this slot looked is still there: it looks again at once.
        wait_for_work();
    }
}

// Whether this process's running steps, `running` of them with their codec threads, leave
// one of its usable cores idle (a lone segment then decodes beside its encoder).
bool Worker::has_core_to_spare(std::size_t running) const {
    const auto threads = running * static_cast<std::size_t>(options_.settings.threads_per_step);
    return threads < static_cast<std::size_t>(cores_);
}

void Worker::run_claim(const workflow::Claim& claim) {
    Active active;
    active.lease = claim.lease;
    active.name = claim.step.name;
    const auto& kind = workflow::kind_info(claim.step.kind);
    active.checkpointed = kind.checkpointed;
    active.timeout = kind.timeout;
    active.frames = claim.step.frames_done;
    std::size_t running = 0;
    {
        std::lock_guard lock(mutex_);
        active_.push_back(&active);
        running = active_.size();
    }
    StepEnvironment env{engine_,
                        jobs_,
                        options_.settings.threads_per_step,
                        has_core_to_spare(running),
                        cores_,
                        options_.settings.chunk_seconds,
                        options_.test_hooks.remote_loopback,
                        &active.cancelled,
                        nullptr,
                        nullptr,
                        nullptr};
    env.on_progress = [&active](std::int64_t done) { active.frames = done; };
    env.checkpoint_due = [this, &active] {
        const Millis now = steady_millis();
        if (!preempting_ && now - active.last_checkpoint < checkpoint_interval_) {
            return false;
        }
        active.last_checkpoint = now;
        return true;
    };
    env.preempting = [this] { return preempting_.load(); };
    log_step(claim, "step started", {{"attempt", claim.step.attempts}});
    std::string ended = "step released";
    std::string error;
    try {
        const auto& failing = options_.test_hooks.failing_steps;
        const auto injected = failing.find(claim.step.name);
        if (injected != failing.end() && claim.step.attempts <= injected->second) {
            throw Error::io(claim.step.name + ": injected failure (KOMPO_TEST_FAIL_STEPS)");
        }
        auto outcome = run_step(claim, env);
        if (!active.lost) {
            const bool stored = engine_.succeed(claim.lease, outcome);
            ended = stored ? "step succeeded" : "step lost its lease";
            if (stored && outcome.artifact_file && options_.cache_max_bytes > 0) {
                workflow::evict_to(engine_.store(), engine_.artifacts(), options_.cache_max_bytes);
            }
        } else if (outcome.artifact_file) {
            ended = "step lost its lease";
            std::error_code ec;
            std::filesystem::remove(*outcome.artifact_file, ec);
        }
    } catch (const Preempted&) {
        engine_.release(claim.lease);
    } catch (const Error& e) {
        ended = "step failed";
        error = e.what();
        if (active.lost) {
            ended = "step lost its lease";
        } else if (active.timed_out) {
            const Error timed_out = Error::io(claim.step.name + ": timed out after " +
                                              std::to_string(active.timeout / 1000) + " s");
            error = timed_out.what();
            engine_.fail(claim.lease, timed_out);
        } else if (e.kind() == ErrorKind::cancelled && (preempting_ || stopping_)) {
            ended = "step released";
            engine_.release(claim.lease);
        } else {
            engine_.fail(claim.lease, e);
        }
    } catch (const std::exception& e) {
        ended = "step failed";
        error = e.what();
        engine_.fail(claim.lease, Error::internal(claim.step.name + ": " + e.what()));
    }
    log_step(claim, ended,
             error.empty() ? nlohmann::json::object() : nlohmann::json{{"error", error}});
    if (active.execution_cancelled && active.checkpointed) {
        std::error_code ec;
        std::filesystem::remove_all(engine_.artifacts().partial_dir(claim.step.artifact_key), ec);
    }
    std::lock_guard lock(mutex_);
    std::erase(active_, &active);
    ++steps_ended_;
    wake_.notify_all();
    wake_one_slot(false);  // its successors may be ready now
}

void Worker::log_step(const workflow::Claim& claim, std::string_view message,
                      nlohmann::json fields) const {
    if (!options_.log) return;
    fields["execution"] = claim.execution.id;
    fields["step"] = claim.step.name;
    fields["kind"] = workflow::step_kind_name(claim.step.kind);
    fields["worker"] = options_.id;
    options_.log->info(message, fields);
}

void Worker::heartbeat_loop() {
    const Millis interval = heartbeat_interval(lease_);
    // Seen within a lease is alive to the scheduler (which class takes which step):
    // recorded three times a lease, at most every ten beats.
    const Millis record_interval = std::clamp<Millis>(lease_ / 3, interval, 10 * interval);
    Millis last_record = steady_millis();
    std::unique_lock lock(mutex_);
    for (;;) {
        // Every interval, not at every wake-up of the slots (each beat is a store write).
        const bool slots_done = wake_.wait_for(lock, std::chrono::milliseconds(interval),
                                               [this] { return stopping_ && active_.empty(); });
        if (slots_done) return;
        const Millis now = steady_millis();
        for (auto* active : active_) beat(*active, now);
        if (now - last_record >= record_interval) {
            record_worker(preempting_ ? "draining" : "running");
            last_record = now;
        }
    }
}

void Worker::beat(Active& active, Millis now) {
    try {
        const auto status = engine_.heartbeat(active.lease, active.frames, lease_);
        if (status != workflow::LeaseStatus::held) {
            active.execution_cancelled = status == workflow::LeaseStatus::cancelled;
            active.lost = true;
            active.cancelled = true;
        }
    } catch (const std::exception& e) {
        spdlog::warn("worker {}: heartbeat of {} failed: {}", options_.id, active.name, e.what());
    }
    if (now - active.started > active.timeout) {
        active.timed_out = true;
        active.cancelled = true;
    }
    const bool out_of_grace = preempting_ && now - preempted_at_ > grace_ - kGraceMargin;
    if (out_of_grace) active.cancelled = true;
}

void Worker::record_worker(const std::string& state) {
    workflow::WorkerRecord record{
        options_.id, options_.settings.worker_class, host_name(), ::getpid(), 0, now_millis(),
        state};
    try {
        engine_.store().write([&](workflow::WorkflowRows& tx) { tx.upsert_worker(record); });
    } catch (const std::exception& e) {
        spdlog::warn("worker {}: cannot record its state: {}", options_.id, e.what());
    }
}

}  // namespace kompo::worker
