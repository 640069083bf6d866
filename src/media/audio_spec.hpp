#pragma once
// The shape of PCM samples as the soundtrack encoder wants them. The source reader
// converts to it, so that decoded samples go into the encoder without another step.
// Internal to src/media.
extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/samplefmt.h>
}

namespace kompo::media {

struct SampleSpec {
    int sample_rate = 48000;
    int channels = 2;
    AVSampleFormat sample_format = AV_SAMPLE_FMT_FLTP;

    // The native layout for the channel count (stereo for 2): needs no uninit.
    AVChannelLayout layout() const {
        AVChannelLayout l{};
        av_channel_layout_default(&l, channels);
        return l;
    }
};

}  // namespace kompo::media
