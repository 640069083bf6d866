#pragma once
// Encodes PCM samples into a file with one audio stream: the soundtrack intermediate.
// Internal to src/media.
#include <cstdint>
#include <string>

#include "media/audio_spec.hpp"
#include "media/handles.hpp"
#include "plan/piece.hpp"

namespace kompo::media {

// The encoder and intermediate container for an output audio codec. The containers keep
// the encoder's priming (MP4: an edit list; WebM: CodecDelay) and its end trimming, so
// the final mux can copy the packets and still start the sound exactly at t = 0.
struct AudioCodecChoice {
    const char* encoder;    // FFmpeg encoder name
    const char* muxer;      // libavformat muxer of the intermediate
    const char* extension;  // the intermediate's file extension
};
AudioCodecChoice audio_codec_choice(plan::AudioCodec codec);

class AudioFileEncoder {
  public:
    // Creates `path` and writes the container header. Throws Error(io) when the file cannot
    // be written, Error(internal) when FFmpeg lacks the encoder.
    AudioFileEncoder(const std::string& path, const plan::OutputFormat& format);
    AudioFileEncoder(const AudioFileEncoder&) = delete;
    AudioFileEncoder& operator=(const AudioFileEncoder&) = delete;

    // The samples `append` takes: the encoder's own rate, layout and sample format.
    static SampleSpec spec_for(const plan::OutputFormat& format);
    const SampleSpec& spec() const { return spec_; }

    // Appends `count` samples of `chunk` (in spec()), starting at its sample `offset`.
    void append(const AVFrame& chunk, int offset, int count);
    void append_silence(std::int64_t count);
    // Encodes the rest (a short last frame), drains the encoder and completes the file.
    // Without it the file is left unfinished (the caller removes it).
    void finish();

  private:
    void encode_full_frames();
    void encode_from_fifo(int count);
    void send(const AVFrame* frame);

    std::string path_;
    SampleSpec spec_;
    OutputFormatPtr output_;
    AVStream* stream_ = nullptr;
    CodecContextPtr encoder_;
    AudioFifoPtr fifo_;
    FramePtr silence_;
    PacketPtr packet_ = make_packet();
    int frame_size_ = 0;
    std::int64_t samples_sent_ = 0;
};

}  // namespace kompo::media
