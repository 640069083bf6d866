#include "media/audio_encoder.hpp"

#include <algorithm>
#include <vector>

#include "core/error.hpp"
#include "media/output_file.hpp"

namespace kompo::media {
namespace {

// Float keeps the decoded sound's headroom; both encoders we use take it.
AVSampleFormat preferred_sample_format(const AVCodec& codec) {
    if (!codec.sample_fmts) return AV_SAMPLE_FMT_FLTP;
    for (const AVSampleFormat* f = codec.sample_fmts; *f != AV_SAMPLE_FMT_NONE; ++f) {
        if (*f == AV_SAMPLE_FMT_FLTP || *f == AV_SAMPLE_FMT_FLT) return *f;
    }
    return codec.sample_fmts[0];
}

Error write_error(const std::string& path, const std::string& what, int rc) {
    return Error::io("soundtrack " + path + ": " + what + " (" + av_error_text(rc) + ")");
}

}  // namespace

AudioCodecChoice audio_codec_choice(plan::AudioCodec codec) {
    switch (codec) {
        case plan::AudioCodec::opus:
            return {"libopus", "webm", ".webm"};
        case plan::AudioCodec::aac:
            break;
    }
    return {"aac", "mp4", ".m4a"};
}

namespace {
const AVCodec& find_encoder(const AudioCodecChoice& choice) {
    const AVCodec* codec = avcodec_find_encoder_by_name(choice.encoder);
    if (!codec) throw Error::internal(std::string("FFmpeg has no ") + choice.encoder + " encoder");
    return *codec;
}
}  // namespace

SampleSpec AudioFileEncoder::spec_for(const plan::OutputFormat& format) {
    const AVCodec& codec = find_encoder(audio_codec_choice(format.audio_codec));
    return SampleSpec{format.audio_sample_rate, format.audio_channels,
                      preferred_sample_format(codec)};
}

AudioFileEncoder::AudioFileEncoder(const std::string& path, const plan::OutputFormat& format)
    : path_(path), spec_(spec_for(format)) {
    const AudioCodecChoice choice = audio_codec_choice(format.audio_codec);
    const AVCodec* codec = &find_encoder(choice);

    output_ = create_output(choice.muxer, path);

    encoder_.reset(avcodec_alloc_context3(codec));
    if (!encoder_) throw std::bad_alloc();
    encoder_->sample_rate = spec_.sample_rate;
    encoder_->ch_layout = spec_.layout();
    encoder_->sample_fmt = spec_.sample_format;
    encoder_->bit_rate = format.audio_bitrate;
    encoder_->time_base = AVRational{1, spec_.sample_rate};
    if (output_->oformat->flags & AVFMT_GLOBALHEADER)
        encoder_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (int rc = avcodec_open2(encoder_.get(), codec, nullptr); rc < 0) {
        throw Error::internal(std::string("opening the ") + choice.encoder +
                              " encoder: " + av_error_text(rc));
    }
    // Encoders that take any frame length get chunks of the AAC frame length.
    frame_size_ = encoder_->frame_size > 0 ? encoder_->frame_size : 1024;

    stream_ = avformat_new_stream(output_.get(), nullptr);
    if (!stream_) throw std::bad_alloc();
    // Carries the encoder's initial padding (priming) into the container.
    if (int rc = avcodec_parameters_from_context(stream_->codecpar, encoder_.get()); rc < 0) {
        throw Error::internal("audio stream parameters: " + av_error_text(rc));
    }
    stream_->time_base = encoder_->time_base;

    // MP4's edit list (which trims the priming and the padding after the last sample)
    // counts in the movie timescale, 1/1000 s by default: in samples it is exact.
    Dictionary options;
    const std::string timescale = std::to_string(spec_.sample_rate);
    if (std::string(choice.muxer) == "mp4") options.set("movie_timescale", timescale.c_str());
    start_output_file(*output_, path, options.address());

    fifo_.reset(av_audio_fifo_alloc(spec_.sample_format, spec_.channels, 2 * frame_size_));
    if (!fifo_) throw std::bad_alloc();
    silence_ = make_frame();
    silence_->format = spec_.sample_format;
    silence_->ch_layout = spec_.layout();
    silence_->sample_rate = spec_.sample_rate;
    silence_->nb_samples = frame_size_;
    if (int rc = av_frame_get_buffer(silence_.get(), 0); rc < 0) {
        throw Error::internal("audio buffer: " + av_error_text(rc));
    }
    av_samples_set_silence(silence_->extended_data, 0, frame_size_, spec_.channels,
                           spec_.sample_format);
}

void AudioFileEncoder::append(const AVFrame& chunk, int offset, int count) {
    if (count <= 0) return;
    // Point into the chunk at `offset`: one pointer per plane (planar) or one in all.
    const int sample_bytes = av_get_bytes_per_sample(spec_.sample_format);
    const bool planar = av_sample_fmt_is_planar(spec_.sample_format);
    const int planes = planar ? spec_.channels : 1;
    const int stride = planar ? sample_bytes : sample_bytes * spec_.channels;
    std::vector<uint8_t*> data(static_cast<size_t>(planes));
    for (int p = 0; p < planes; ++p) data[p] = chunk.extended_data[p] + offset * stride;
    if (int rc = av_audio_fifo_write(fifo_.get(), reinterpret_cast<void**>(data.data()), count);
        rc < count) {
        throw Error::internal("audio queue: " + av_error_text(rc < 0 ? rc : AVERROR(ENOMEM)));
    }
    encode_full_frames();
}

void AudioFileEncoder::append_silence(std::int64_t count) {
    while (count > 0) {
        const int n = static_cast<int>(std::min<std::int64_t>(count, frame_size_));
        append(*silence_, 0, n);
        count -= n;
    }
}

void AudioFileEncoder::finish() {
    int rest = av_audio_fifo_size(fifo_.get());
    const bool short_frames_ok = encoder_->codec->capabilities &
                                 (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE);
    if (rest > 0 && !short_frames_ok) {
        // Such an encoder needs whole frames: pad with silence (the track gets longer by
        // less than one frame, within what the mux tolerates).
        append_silence(frame_size_ - rest);
        rest = av_audio_fifo_size(fifo_.get());
    }
    if (rest > 0) encode_from_fifo(rest);
    send(nullptr);
    if (int rc = av_write_trailer(output_.get()); rc < 0) {
        throw write_error(path_, "cannot complete the file", rc);
    }
}

void AudioFileEncoder::encode_full_frames() {
    while (av_audio_fifo_size(fifo_.get()) >= frame_size_) encode_from_fifo(frame_size_);
}

void AudioFileEncoder::encode_from_fifo(int count) {
    FramePtr frame = make_frame();
    frame->format = spec_.sample_format;
    frame->ch_layout = spec_.layout();
    frame->sample_rate = spec_.sample_rate;
    frame->nb_samples = count;
    if (int rc = av_frame_get_buffer(frame.get(), 0); rc < 0) {
        throw Error::internal("audio buffer: " + av_error_text(rc));
    }
    av_audio_fifo_read(fifo_.get(), reinterpret_cast<void**>(frame->extended_data), count);
    frame->pts = samples_sent_;
    samples_sent_ += count;
    send(frame.get());
}

// Sends a frame (null: drain) and writes every packet the encoder has ready.
void AudioFileEncoder::send(const AVFrame* frame) {
    if (int rc = avcodec_send_frame(encoder_.get(), frame); rc < 0) {
        throw Error::internal("audio encoder: " + av_error_text(rc));
    }
    for (;;) {
        int rc = avcodec_receive_packet(encoder_.get(), packet_.get());
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
        if (rc < 0) throw Error::internal("audio encoder: " + av_error_text(rc));
        av_packet_rescale_ts(packet_.get(), encoder_->time_base, stream_->time_base);
        packet_->stream_index = stream_->index;
        if (rc = av_write_frame(output_.get(), packet_.get()); rc < 0) {
            throw write_error(path_, "cannot write", rc);
        }
        av_packet_unref(packet_.get());
    }
}

}  // namespace kompo::media
