#pragma once
// Thumbnails for the media library: a small JPEG of one moment of a video, or of a still.
#include <filesystem>
#include <string>

#include "core/units.hpp"

namespace kompo::media {

// The JPEG bytes of the picture shown at source time `at` of a video (the last frame at
// or before `at`: one seek to the keyframe before it, then a few decoded frames), or of a
// still image. `at` past the end gives the last frame; a negative `at` counts as 0.
// The picture is upright (rotation metadata honoured), square-pixelled, at most
// `max_width` wide with its aspect kept (never enlarged), and of even width and height.
// Throws Error(invalid_input) when max_width < 2, Error(media) naming the file when it is
// missing, undecodable or has no picture (sound only).
std::string thumbnail_jpeg(const std::filesystem::path& file, Seconds at, int max_width);

}  // namespace kompo::media
