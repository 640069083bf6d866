#pragma once
// How `kompo status` and `kompo render` show an execution.
#include <string>

#include <nlohmann/json.hpp>

#include "render/render.hpp"
#include "workflow/engine.hpp"

namespace kompo::cli {

// The execution and every step (state, attempts, worker, progress, checkpoint, error).
nlohmann::json snapshot_json(const workflow::Snapshot& snapshot);

// The event log: seq, at, type, step and detail of each event.
nlohmann::json events_json(const std::vector<store::Event>& events);

// A summary line, then one progress bar per running step.
std::string status_text(const workflow::Snapshot& snapshot);

// The render's progress in picture frames: segment frames done (cached ones count as
// done) over the frames of the whole video, with the stage it is at.
render::Progress render_progress(const workflow::Snapshot& snapshot);

}  // namespace kompo::cli
