#pragma once
// Human-readable text about plans: warnings, errors and the listing `kompo plan` prints.
#include <cstddef>
#include <string>

#include "core/media_info.hpp"
#include "plan/piece.hpp"

namespace kompo::plan {

// How messages name a segment or a source: `segments[3] ("Intro")`, `sources[0] ("song")`.
std::string segment_label(std::size_t index, const std::string& id);
std::string source_label(std::size_t index, const std::string& id);

std::string describe_window_past_end(const std::string& where, Seconds start,
                                     const MediaInfo& info);
std::string describe_hold(const std::string& where, double needed_end, const MediaInfo& info);
// A window starting before the medium does (a negative startingOffset): its first frame
// stands in until the medium starts.
std::string describe_hold_first(const std::string& where, double start, const MediaInfo& info);

// One line per piece: segment, source window in seconds, output frames.
std::string describe_plan(const Plan& plan);

}  // namespace kompo::plan
