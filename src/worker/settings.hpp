#pragma once
// How workers run, as configured (`workers.*` in platform/config.hpp): every default here,
// once. `kompo serve`, `kompo worker` and `kompo render` read them through the same Config.
#include <string>

#include "workflow/render_graph.hpp"

namespace kompo::worker {

struct WorkerSettings {
    int count = -1;       // in-process worker slots of `kompo serve`: -1 one per core, 0 none
    int concurrency = 1;  // slots of a `kompo worker` process
    std::string worker_class = "regular";     // or "preemptible"
    int threads_per_step = 1;                 // codec threads of each step
    double lease_seconds = 60;                // a silent worker loses its steps after this
    double checkpoint_interval_seconds = 30;  // a running segment saves progress this often
    double grace_seconds = 25;                // preemption: time to checkpoint and hand back
    // The default grace of a preemptible worker: a GKE Spot pod gets about 15 s of its
    // node's 30 s notice, so it must have checkpointed and let go well inside that.
    static constexpr double kPreemptibleGraceSeconds = 10;
    double chunk_seconds = workflow::GraphOptions{}.chunk_seconds;  // the plan cuts segments
    // How idle slots learn of a ready step: "notify" (the store's announcements, where it
    // sends them: PostgreSQL; every 200 ms regardless) or "poll" (every 200 ms only).
    std::string wake = "notify";
};

}  // namespace kompo::worker
