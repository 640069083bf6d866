#include "platform/media_previews.hpp"

#include "media/thumbnail.hpp"

namespace kompo::platform {

std::string thumbnail_jpeg(const std::filesystem::path& file, Seconds at, int max_width) {
    return media::thumbnail_jpeg(file, at, max_width);
}

WaveformPeaks waveform_peaks(const std::filesystem::path& file, int peaks) {
    return media::waveform_peaks(file, peaks);
}

}  // namespace kompo::platform
