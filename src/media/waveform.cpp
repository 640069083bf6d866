#include "media/waveform.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "media/audio_source.hpp"
#include "media/probe.hpp"

namespace kompo::media {

namespace {

constexpr int kMaxPeaks = 100000;
// Bucket edges computed in floating point: an edge that falls on a sample boundary must
// not pull the neighbouring sample into the bucket.
constexpr double kEdgeSlack = 1e-7;

// Min and max per bucket. Sample n covers [n, n + 1) on the timeline and counts in every
// bucket it overlaps: one, two where it straddles an edge, several when buckets are
// shorter than a sample.
class Buckets {
  public:
    Buckets(int count, double total_samples)
        : scale_(total_samples > 0 ? count / total_samples : 0),
          min_(count, std::numeric_limits<float>::max()),
          max_(count, std::numeric_limits<float>::lowest()) {}

    void add(std::int64_t position, float value) {
        const double start = static_cast<double>(position) * scale_;
        const double end = static_cast<double>(position + 1) * scale_;
        const int first = index(std::floor(start + kEdgeSlack));
        const int last = std::max(first, index(std::ceil(end - kEdgeSlack) - 1));
        for (int i = first; i <= last; ++i) {
            min_[i] = std::min(min_[i], value);
            max_[i] = std::max(max_[i], value);
        }
    }

    // Buckets no sample fell in are silent.
    void finish(WaveformPeaks& peaks) {
        for (std::size_t i = 0; i < min_.size(); ++i) {
            if (min_[i] > max_[i]) min_[i] = max_[i] = 0;
        }
        peaks.min = std::move(min_);
        peaks.max = std::move(max_);
    }

  private:
    int index(double bucket) const {
        const double highest = static_cast<double>(min_.size()) - 1;
        return static_cast<int>(std::clamp(bucket, 0.0, highest));
    }

    double scale_;  // buckets per sample
    std::vector<float> min_;
    std::vector<float> max_;
};

// Calls `use(position, mono)` for every sample of the medium's sound, in order; position
// counts samples from the medium's start.
template <typename Use>
void for_each_sample(const std::string& path, const SampleSpec& spec, Use&& use) {
    AudioSource source(path, "", spec);
    while (FramePtr chunk = source.next_chunk()) {
        const auto* samples = reinterpret_cast<const float*>(chunk->data[0]);
        const int channels = spec.channels;
        for (int n = 0; n < chunk->nb_samples; ++n) {
            float sum = 0;
            for (int c = 0; c < channels; ++c) sum += samples[n * channels + c];
            float mono = sum / static_cast<float>(channels);
            mono = std::isnan(mono) ? 0.0f : std::clamp(mono, -1.0f, 1.0f);
            use(chunk->pts + n, mono);
        }
    }
}

}  // namespace

WaveformPeaks waveform_peaks(const std::filesystem::path& file, int peaks) {
    const std::string path = file.string();
    const MediaInfo info = probe(path);
    if (!info.audio) throw Error::media(path + ": has no audio stream, so no waveform");
    peaks = std::clamp(peaks, 1, kMaxPeaks);

    // The source's own rate and channels: the resampler only turns the samples into
    // interleaved float, and the mono mix is the mean of the channels. (swresample's own
    // mix to mono adds channels at -3 dB, which takes full-scale stereo past 1.)
    SampleSpec spec;
    spec.sample_rate = info.audio->sample_rate > 0 ? info.audio->sample_rate : 48000;
    spec.channels = std::max(1, info.audio->channels);
    spec.sample_format = AV_SAMPLE_FMT_FLT;

    WaveformPeaks result;
    result.sample_rate = spec.sample_rate;
    result.duration_seconds = info.duration.value();
    if (!(result.duration_seconds > 0)) {
        // No duration in the container: count the samples first.
        std::int64_t end = 0;
        for_each_sample(path, spec,
                        [&](std::int64_t position, float) { end = std::max(end, position + 1); });
        result.duration_seconds = static_cast<double>(end) / spec.sample_rate;
    }
    result.seconds_per_peak = result.duration_seconds / peaks;

    Buckets buckets(peaks, result.duration_seconds * spec.sample_rate);
    for_each_sample(path, spec,
                    [&](std::int64_t position, float mono) { buckets.add(position, mono); });
    buckets.finish(result);
    return result;
}

}  // namespace kompo::media
