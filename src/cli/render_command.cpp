// `kompo render`: submits the render to the local store and serves it with an in-process
// worker pool, so a second render after an edit reuses every piece that did not change.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "cli/exit_codes.hpp"
#include "cli/progress.hpp"
#include "cli/request_of.hpp"
#include "cli/status_view.hpp"
#include "cli/workflow_commands.hpp"
#include "core/error.hpp"
#include "core/usable_cores.hpp"
#include "worker/worker.hpp"

namespace kompo::cli {

namespace {

int cores(int requested) {
    if (requested > 0) return requested;
    return usable_cores();
}

// Warnings come from the plan step; each is shown once.
void show_warnings(const workflow::Snapshot& snapshot, ProgressPrinter& printer,
                   std::set<std::string>& shown) {
    for (const auto& step : snapshot.steps) {
        if (step.kind != workflow::StepKind::plan || !workflow::has_output(step.state)) continue;
        const auto result = nlohmann::json::parse(step.result, nullptr, false);
        if (!result.is_object() || !result.contains("warnings")) continue;
        for (const auto& w : result["warnings"]) {
            if (shown.insert(w.get<std::string>()).second) printer.warning(w.get<std::string>());
        }
    }
}

// Which file a path names now (device, inode, modification time); none when there is none.
std::optional<std::tuple<dev_t, ino_t, std::int64_t, std::int64_t>> file_identity(
    const std::string& path) {
    struct stat info {};
    if (path.empty() || ::stat(path.c_str(), &info) != 0) return std::nullopt;
    return std::tuple{info.st_dev, info.st_ino, static_cast<std::int64_t>(info.st_mtim.tv_sec),
                      static_cast<std::int64_t>(info.st_mtim.tv_nsec)};
}

}  // namespace

int run_render_through_engine(const SettingFlags& settings, const RenderFlags& flags,
                              const SignalWatcher& signals) {
    const auto started = std::chrono::steady_clock::now();
    const auto request =
        request_from_flags(flags.komposition, flags.output, flags.media_root, flags.range);
    const auto config = load_settings(settings).config;
    // A Ctrl-C can land while the publish step puts the finished file in place: a cancelled
    // render then takes away what it wrote, and only that (an older file there is kept).
    const auto output_before = file_identity(flags.output);
    auto platform = platform::open_platform(config);
    const auto id = platform->engine.submit(request, "");

    auto options = worker_options(*platform, config);
    options.slots = cores(flags.threads);
    options.only_execution = id;
    options.idle_poll = 50;
    worker::Worker pool(platform->engine, options);
    pool.start();

    ProgressPrinter printer(progress_mode(flags.progress));
    printer.submitted(id);
    std::set<std::string> warnings_shown;
    workflow::Snapshot snapshot;
    std::uint64_t steps_ended = 0;
    for (;;) {
        snapshot = *platform->engine.snapshot(id);
        show_warnings(snapshot, printer, warnings_shown);
        if (workflow::is_terminal(snapshot.execution.state)) break;
        const auto progress = render_progress(snapshot);
        if (progress.total_frames > 0) printer.update(progress);
        if (signals.count() > 0) platform->engine.cancel(id);
        // Woken when a step ends, not by a poll: the render ends when its last step does.
        // The timeout bounds how late progress and Ctrl-C are seen.
        steps_ended = pool.wait_step_ended(steps_ended, std::chrono::milliseconds(100));
    }
    pool.stop();
    pool.join();
    const auto& execution = snapshot.execution;
    if (execution.state == workflow::ExecutionState::cancelled) {
        if (file_identity(flags.output) != output_before) {
            std::error_code ignored;
            std::filesystem::remove(flags.output, ignored);
        }
        printer.ended_without_video("cancelled", "render cancelled");
        throw Error::cancelled("render cancelled");
    }
    if (execution.state == workflow::ExecutionState::failed) {
        printer.ended_without_video("failed", execution.error);
        throw Error(error_kind_from(execution.error_kind), execution.error);
    }
    const auto result = nlohmann::json::parse(execution.result);
    const auto frames = result.value("frames", std::int64_t{0});
    printer.update(render::Progress{frames, frames, "publish"});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    printer.finish(flags.output, frames, seconds);
    return kOk;
}

}  // namespace kompo::cli
