#pragma once
// A medium's sound as one channel of float samples, for analysis (tempo, beats).
#include <atomic>
#include <filesystem>
#include <vector>

namespace kompo::media {

struct MonoSound {
    int sample_rate = 0;
    std::vector<float> samples;  // sample n plays at n / sample_rate seconds into the medium
};

// Decodes the first audio stream of `file`, mixed down to mono and resampled to
// `sample_rate`. Sound that starts late in the container is preceded by silence, so that
// sample positions are times from the medium's start.
// Throws Error(media) naming the file when it is missing, undecodable or has no audio,
// Error(cancelled) once `cancelled` (when given) is set.
MonoSound decode_mono(const std::filesystem::path& file, int sample_rate,
                      const std::atomic<bool>* cancelled = nullptr);

}  // namespace kompo::media
