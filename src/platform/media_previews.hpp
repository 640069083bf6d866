#pragma once
// What the media library shows of a medium besides its metadata: a still and the sound's
// peaks. The server reaches the decoders only through here (media/ is FFmpeg's module).
#include <filesystem>
#include <string>

#include "core/units.hpp"
#include "media/waveform.hpp"

namespace kompo::platform {

using media::WaveformPeaks;

// A JPEG of the frame at `at`, at most `max_width` pixels wide.
std::string thumbnail_jpeg(const std::filesystem::path& file, Seconds at, int max_width);

// `peaks` buckets of the medium's mono sound, smallest and largest sample of each.
WaveformPeaks waveform_peaks(const std::filesystem::path& file, int peaks);

}  // namespace kompo::platform
