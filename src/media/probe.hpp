#pragma once
#include <string>

#include "core/media_info.hpp"

namespace kompo::media {

// Opens `path` with libavformat and describes it. Images (jpeg, png) are media too.
// `with_keyframes` also scans the video packets for keyframe times (slower; used to
// decide whether a window can be stream-copied).
// Throws Error(media) naming the file when it is missing or has no decodable stream.
MediaInfo probe(const std::string& path, bool with_keyframes = false);

}  // namespace kompo::media
