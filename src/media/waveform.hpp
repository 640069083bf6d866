#pragma once
// Waveform overviews for the media library: the loudest and quietest sample of each
// stretch of a medium's sound, to draw without decoding it again.
#include <filesystem>
#include <vector>

namespace kompo::media {

struct WaveformPeaks {
    double seconds_per_peak = 0;  // the length of one bucket: duration_seconds / peaks
    double duration_seconds = 0;  // what the buckets cover: the medium's duration
    int sample_rate = 0;          // of the sound the peaks were taken from (the source's)
    // Per bucket, in time order, the smallest and largest mono sample in [-1, 1];
    // 0 and 0 for a bucket no sample falls in (sound that ends before the medium does).
    std::vector<float> min;
    std::vector<float> max;
};

// Decodes the first audio stream of `file` (a song, or the sound of a video), mixes it
// down to mono (the mean of the channels) and splits the medium's duration into `peaks`
// equal buckets (`peaks` is clamped to 1..100000); min and max have that many entries.
// Throws Error(media) naming the file when it is missing, undecodable or has no audio.
WaveformPeaks waveform_peaks(const std::filesystem::path& file, int peaks);

}  // namespace kompo::media
