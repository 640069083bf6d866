#pragma once
// Pure planning: a komposition and what probing its media said → the exact pieces of the
// render. No I/O; the same inputs always give the same plan.
#include <map>
#include <string>

#include "core/media_info.hpp"
#include "komposition/komposition.hpp"
#include "komposition/timeline.hpp"
#include "plan/piece.hpp"

namespace kompo::plan {

// Probed media by source id, with `MediaInfo::path` the resolved file.
using MediaBySource = std::map<std::string, MediaInfo>;

struct PlanOptions {
    komp::RenderRange range;
};

// Throws Error(invalid_input) for an empty range, Error(media) for a window that starts
// past the end of its medium (naming the segment).
Plan make_plan(const komp::Komposition& komposition, const MediaBySource& media,
               const PlanOptions& options = {});

OutputFormat output_format(const komp::Komposition& komposition);

// The contract's soundtrack: the first audio source that no segment uses as picture.
const komp::Source* soundtrack_of(const komp::Komposition& komposition);

}  // namespace kompo::plan
