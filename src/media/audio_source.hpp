#pragma once
// Reads the audio of a medium (a song, or the sound of a video file) as chunks of samples
// converted to one SampleSpec, each stamped with where it lies on the source's timeline.
// Internal to src/media.
#include <cstdint>
#include <optional>
#include <string>

#include "core/units.hpp"
#include "media/audio_spec.hpp"
#include "media/handles.hpp"

namespace kompo::media {

class AudioSource {
  public:
    // Opens the medium's best audio stream. `where` names it in errors ("sources[2] (\"song\")").
    // Throws Error(media): file not found / not a decodable medium / has no audio stream.
    AudioSource(const std::string& path, const std::string& where, const SampleSpec& target);
    ~AudioSource();
    AudioSource(const AudioSource&) = delete;
    AudioSource& operator=(const AudioSource&) = delete;

    // Positions the reader a little before source time `t` (seconds from the medium's
    // start, as `ffmpeg -ss` counts them), so that the next chunks cover `t` exactly.
    void seek_before(Seconds t);

    // The next chunk, converted to the target spec. Its pts is the source-timeline position
    // of its first sample, in target-rate samples (0 = the medium's start). Chunks follow
    // each other without gaps. Null once the medium and the resampler are drained.
    FramePtr next_chunk();

  private:
    bool read_decoded_frame(AVFrame* frame);
    void send_next_packet();
    bool start_timeline_at(const AVFrame& first);
    void rewind_to_beginning();
    void restart_decoding();
    FramePtr convert(const AVFrame* decoded);
    void configure_resampler(const AVFrame& decoded);
    std::optional<std::int64_t> position_of(const AVFrame& decoded) const;

    std::string path_;
    std::string where_;
    SampleSpec target_;
    InputFormatPtr format_;
    AVStream* stream_ = nullptr;
    CodecContextPtr decoder_;
    SwrPtr resampler_;
    // What the resampler was set up for; a change midway sets it up again.
    AVChannelLayout resampler_input_layout_{};
    int resampler_input_format_ = -1;
    int resampler_input_rate_ = 0;
    PacketPtr packet_ = make_packet();
    FramePtr decoded_ = make_frame();
    std::int64_t origin_ = 0;  // the medium's start, in the stream's time base
    // Position of the next converted sample; unset until the first frame after an open
    // or a seek tells where decoding resumed.
    std::optional<std::int64_t> next_position_;
    // After a seek: the position decoding must resume at or before (else the seek
    // overshot and the reader rewinds).
    std::optional<std::int64_t> resume_by_;
    bool demuxer_done_ = false;
    bool decoder_done_ = false;
};

}  // namespace kompo::media
