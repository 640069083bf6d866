#include "media/mono_sound.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "media/audio_source.hpp"

namespace kompo::media {

MonoSound decode_mono(const std::filesystem::path& file, int sample_rate,
                      const std::atomic<bool>* cancelled) {
    SampleSpec spec;
    spec.sample_rate = sample_rate;
    spec.channels = 1;
    spec.sample_format = AV_SAMPLE_FMT_FLT;
    AudioSource source(file.string(), "", spec);

    MonoSound sound;
    sound.sample_rate = sample_rate;
    while (FramePtr chunk = source.next_chunk()) {
        if (cancelled && cancelled->load(std::memory_order_relaxed)) {
            throw Error::cancelled(file.string() + ": decoding cancelled");
        }
        const auto start = static_cast<std::size_t>(std::max<std::int64_t>(0, chunk->pts));
        if (sound.samples.size() < start) sound.samples.resize(start, 0.0f);
        const auto* samples = reinterpret_cast<const float*>(chunk->data[0]);
        for (int n = 0; n < chunk->nb_samples; ++n) {
            sound.samples.push_back(std::isnan(samples[n]) ? 0.0f : samples[n]);
        }
    }
    return sound;
}

}  // namespace kompo::media
