#pragma once
// A whole render on this machine, all or nothing: the output file appears (atomically,
// by rename) only when every piece succeeded; a failure or cancellation leaves no output
// and no work files.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "komposition/komposition.hpp"
#include "komposition/timeline.hpp"
#include "plan/plan.hpp"

namespace kompo::render {

struct Progress {
    std::int64_t frames_done = 0;  // picture frames rendered so far
    std::int64_t total_frames = 0;
    std::string stage;  // "segments", "join", "mux"
};

struct RenderOptions {
    komp::RenderRange range;
    std::filesystem::path media_root;  // where file://NAME and relative urls resolve
    int threads = 0;                   // 0: one per core
    // Called from worker threads, one call at a time.
    std::function<void(const Progress&)> on_progress;
    std::function<void(const std::string&)> on_warning;
    // Set by the caller (e.g. on Ctrl-C) to stop; render then throws Error(cancelled).
    const std::atomic<bool>* cancelled = nullptr;
};

// Probes the media the render needs and plans it (no rendering).
plan::Plan plan_render(const komp::Komposition& komposition, const RenderOptions& options);

// Renders to `output`. Returns the plan that was executed.
plan::Plan render_file(const komp::Komposition& komposition, const std::filesystem::path& output,
                       const RenderOptions& options);

}  // namespace kompo::render
