#pragma once
#include <string>

#include "media/execute.hpp"

namespace kompo::media {

// A segment whose source already is the output (same codec, size, rate and stream
// headers; starts on a keyframe, ends on one or at the end of the stream): its packets
// are copied, from the keyframe at source_start, frame_count frames, timestamps counted
// from 0. Throws Error(internal) when the source does not give exactly that.
void copy_segment(const plan::SegmentPiece& piece, const std::string& out_path,
                  const ExecContext& ctx);

}  // namespace kompo::media
