#pragma once
// Getting a komposition ready to render on this machine: its media probed and its pieces
// planned. Rendering itself runs as workflow steps (src/workflow, src/worker).
#include <cstdint>
#include <filesystem>
#include <string>

#include "komposition/komposition.hpp"
#include "komposition/timeline.hpp"
#include "plan/plan.hpp"
#include "render/sources.hpp"

namespace kompo::render {

// How far a render is, as shown to the user.
struct Progress {
    std::int64_t frames_done = 0;  // picture frames rendered so far
    std::int64_t total_frames = 0;
    std::string stage;  // "plan", "segments", "join", "sound", "mux", "publish"
};

struct RenderOptions {
    komp::RenderRange range;
    SourcePolicy sources;             // where source urls resolve, and whether they must stay there
    Prober prober = {};               // empty: media::probe
    std::size_t parallel_probes = 1;  // sources probed at once (probe_sources)
};

// Probes the media the render needs. Throws Error(invalid_input) for a document that is
// not a komposition, and the errors of probe_sources.
plan::MediaBySource probe_for_render(const komp::Komposition& komposition,
                                     const RenderOptions& options);

// Probes the media the render needs and plans it (no rendering).
plan::Plan plan_render(const komp::Komposition& komposition, const RenderOptions& options);

}  // namespace kompo::render
