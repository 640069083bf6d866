#pragma once
// How `kompo status` shows an execution to a person.
#include <string>

#include "platform/render_view.hpp"

namespace kompo::cli {

using platform::events_json;
using platform::render_progress;
using platform::snapshot_json;

// A summary line, one progress bar per running step, then what it cost so far.
std::string status_text(const workflow::Snapshot& snapshot, const workflow::FleetPrices& prices);

}  // namespace kompo::cli
