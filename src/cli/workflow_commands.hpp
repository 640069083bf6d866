#pragma once
// The subcommands that work through the workflow engine and its store.
#include <string>

#include "cli/commands.hpp"
#include "cli/signals.hpp"
#include "platform/platform.hpp"

namespace kompo::cli {

using platform::open_platform;
using platform::parse_size;
using platform::Platform;
using platform::StoreFlags;

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

struct WorkerFlags {
    int concurrency = 1;
    std::string worker_class = "regular";
    int threads_per_step = 1;
    double lease_seconds = 60;
    double checkpoint_seconds = 30;
    double grace_seconds = 25;
    double chunk_seconds = 8;
    std::string id;
};

struct GcFlags {
    std::string max_size;  // empty: --cache-size
};

int run_submit(const StoreFlags& store, const SubmitFlags& flags);
int run_status(const StoreFlags& store, const StatusFlags& flags, const SignalWatcher& signals);
int run_cancel(const StoreFlags& store, const std::string& id);
int run_worker(const StoreFlags& store, const WorkerFlags& flags, const SignalWatcher& signals);
int run_gc(const StoreFlags& store, const GcFlags& flags);
// `kompo render`: a submit, served by an in-process worker pool until it ends.
int run_render_through_engine(const StoreFlags& store, const RenderFlags& flags,
                              const SignalWatcher& signals);

}  // namespace kompo::cli
