#pragma once
#include "plan/plan.hpp"

namespace kompo::plan {

// True when this medium could give its packets to the output unchanged: same codec,
// size, frame rate and pixel format, upright. Only then are its keyframes worth scanning.
bool copy_candidate(const MediaInfo& info, const OutputFormat& format);

// Marks every segment piece `stream_copy` when the whole picture can be the sources'
// own packets: every piece shows a copy candidate at speed 1, its window starts on a
// keyframe and ends on one (or at the end of the stream), and all sources share their
// stream headers (the join copies one set of headers). All or nothing, because a stream
// mixing copied and encoded pieces would carry two different sets of headers.
void mark_stream_copies(Plan& plan, const MediaBySource& media);

}  // namespace kompo::plan
