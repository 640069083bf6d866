#pragma once
// How a render (an execution and its steps) is shown to people and programs: the JSON of
// `kompo status --json` and of the server's render API, and its overall progress.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "render/render.hpp"
#include "workflow/cost.hpp"
#include "workflow/engine.hpp"

namespace kompo::platform {

// The execution and every step (state, attempts, worker, progress, checkpoint, error).
nlohmann::json snapshot_json(const workflow::Snapshot& snapshot);

// What the execution cost so far (workflow/cost.hpp), at `prices`: its cost, what the
// same work would have cost on regular workers only, worker seconds by class, work lost
// to preemptions and failures (redone), and what the cache saved.
nlohmann::json cost_json(const workflow::Snapshot& snapshot, const workflow::FleetPrices& prices);

// The event log: seq, at, type, step and detail of each event.
nlohmann::json events_json(const std::vector<workflow::Event>& events);

// The render's progress in picture frames: segment frames done (cached ones count as
// done) over the frames of the whole video, with the stage it is at: "plan" before its
// segments are known, "segments" while any is left, then what the render still waits for
// ("join", "sound", "mux", "publish"), so that a render whose picture is done but whose
// sound is still encoding does not read as finished.
render::Progress render_progress(const workflow::Snapshot& snapshot);

}  // namespace kompo::platform
