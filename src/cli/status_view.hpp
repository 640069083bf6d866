#pragma once
// How `kompo status` shows an execution to a person.
#include <string>

#include "platform/render_view.hpp"

namespace kompo::cli {

using platform::events_json;
using platform::render_progress;
using platform::snapshot_json;

// A summary line, then one progress bar per running step.
std::string status_text(const workflow::Snapshot& snapshot);

}  // namespace kompo::cli
