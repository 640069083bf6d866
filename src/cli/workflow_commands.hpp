#pragma once
// The subcommands that work through the workflow engine and its store.
#include <string>

#include "cli/commands.hpp"
#include "cli/setting_flags.hpp"
#include "cli/signals.hpp"
#include "platform/platform.hpp"
#include "worker/worker.hpp"

namespace kompo::cli {

using platform::parse_size;
using platform::Platform;

struct SubmitFlags {
    std::string komposition;
    std::string output;
    std::string media_root;
    RangeFlags range;
    std::string idempotency_key;
};

struct StatusFlags {
    std::string id;
    bool watch = false;
    bool json = false;
    bool events = false;
};

// The rest of `kompo worker`'s flags are settings (workers.*: SettingFlags).
struct WorkerFlags {
    std::string id;
};

struct GcFlags {
    std::string max_size;  // empty: the cache_size setting
};

// The platform of the configuration the flags (with file and environment) make.
std::unique_ptr<Platform> open_platform(const SettingFlags& settings);
// A worker as configured (workers.*), with the cache limit and the build's test hooks;
// the caller sets its slots, and its id or log when it has them.
worker::WorkerOptions worker_options(const Platform& platform, const platform::Config& config);

int run_submit(const SettingFlags& settings, const SubmitFlags& flags);
int run_status(const SettingFlags& settings, const StatusFlags& flags,
               const SignalWatcher& signals);
int run_cancel(const SettingFlags& settings, const std::string& id);
int run_worker(const SettingFlags& settings, const WorkerFlags& flags,
               const SignalWatcher& signals);
int run_gc(const SettingFlags& settings, const GcFlags& flags);
// `kompo render`: a submit, served by an in-process worker pool until it ends.
int run_render_through_engine(const SettingFlags& settings, const RenderFlags& flags,
                              const SignalWatcher& signals);

}  // namespace kompo::cli
