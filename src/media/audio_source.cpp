#include "media/audio_source.hpp"

#include "core/error.hpp"
#include "media/decode_input.hpp"

extern "C" {
#include <libavutil/mathematics.h>
}

namespace kompo::media {
namespace {

// How far before the wanted time a seek lands: decoders of lapped codecs (AAC, MP3,
// Opus) need some packets before their output is right, and some demuxers land late.
constexpr double kSeekPrerollSeconds = 0.25;

Error source_error(const std::string& where, const std::string& path, const std::string& what) {
    const std::string prefix = where.empty() ? "" : where + ": ";
    return Error::media(prefix + path + ": " + what);
}

// open_input's errors, prefixed with the source they belong to.
InputFormatPtr open_medium(const std::string& path, const std::string& where) {
    try {
        return open_input(path);
    } catch (const Error& e) {
        if (where.empty()) throw;
        throw Error(e.kind(), where + ": " + e.what());
    }
}

CodecContextPtr open_decoder(const AVStream& stream, const std::string& where,
                             const std::string& path) {
    const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
    if (!codec) {
        throw source_error(where, path,
                           std::string("not a decodable medium (no decoder for ") +
                               avcodec_get_name(stream.codecpar->codec_id) + ")");
    }
    CodecContextPtr decoder(avcodec_alloc_context3(codec));
    if (!decoder) throw std::bad_alloc();
    if (int rc = avcodec_parameters_to_context(decoder.get(), stream.codecpar); rc < 0) {
        throw source_error(where, path, "not a decodable medium (" + av_error_text(rc) + ")");
    }
    decoder->pkt_timebase = stream.time_base;
    if (int rc = avcodec_open2(decoder.get(), codec, nullptr); rc < 0) {
        throw source_error(where, path, "not a decodable medium (" + av_error_text(rc) + ")");
    }
    return decoder;
}

bool has_audio_stream(const AVFormatContext& format) {
    for (unsigned i = 0; i < format.nb_streams; ++i) {
        if (format.streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) return true;
    }
    return false;
}

// Decoders may leave the channel order unspecified (e.g. a mono WAV); the resampler
// needs a real layout, so take the usual one for that many channels.
AVChannelLayout usable_layout(const AVChannelLayout& layout) {
    AVChannelLayout result{};
    if (layout.order == AV_CHANNEL_ORDER_UNSPEC || av_channel_layout_check(&layout) == 0) {
        av_channel_layout_default(&result, layout.nb_channels);
    } else {
        av_channel_layout_copy(&result, &layout);
    }
    return result;
}

}  // namespace

AudioSource::AudioSource(const std::string& path, const std::string& where,
                         const SampleSpec& target)
    : path_(path), where_(where), target_(target), format_(open_medium(path, where)) {
    int index = av_find_best_stream(format_.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) {
        // An audio stream whose parameters could not be found means the file only looked
        // like audio (say, text named .flac); no audio stream at all is a silent film.
        throw source_error(where_, path_,
                           has_audio_stream(*format_)
                               ? "not a decodable medium (its audio cannot be read)"
                               : "has no audio stream");
    }
    stream_ = format_->streams[index];
    decoder_ = open_decoder(*stream_, where_, path_);
    // Source time 0 is the medium's start (its earliest timestamp over all streams), as
    // `ffmpeg -ss` and the picture side count it, so sound and picture of one file agree.
    if (format_->start_time != AV_NOPTS_VALUE) {
        origin_ = av_rescale_q(format_->start_time, AV_TIME_BASE_Q, stream_->time_base);
    }
}

AudioSource::~AudioSource() {
    av_channel_layout_uninit(&resampler_input_layout_);
}

void AudioSource::seek_before(Seconds t) {
    const double landing = t.value() - kSeekPrerollSeconds;
    if (landing <= 0) return;  // decoding from the start reaches t soon enough
    // Seek on the audio stream itself: in a video file the default (video) stream's
    // keyframes may lie seconds away from where the sound is stored.
    const std::int64_t target = origin_ + av_rescale_q(std::llround(landing * AV_TIME_BASE),
                                                       AV_TIME_BASE_Q, stream_->time_base);
    // A medium that cannot seek is decoded from its start: slower, equally exact.
    if (av_seek_frame(format_.get(), stream_->index, target, AVSEEK_FLAG_BACKWARD) < 0) return;
    restart_decoding();
    resume_by_ = std::llround(t.value() * target_.sample_rate);
}

void AudioSource::rewind_to_beginning() {
    if (int rc = av_seek_frame(format_.get(), stream_->index, origin_, AVSEEK_FLAG_BACKWARD);
        rc < 0) {
        throw source_error(where_, path_,
                           "cannot seek back to the start (" + av_error_text(rc) + ")");
    }
    restart_decoding();
}

void AudioSource::restart_decoding() {
    avcodec_flush_buffers(decoder_.get());
    resampler_.reset();
    next_position_.reset();
    resume_by_.reset();
    demuxer_done_ = false;
    decoder_done_ = false;
}

FramePtr AudioSource::next_chunk() {
    while (!decoder_done_) {
        if (!read_decoded_frame(decoded_.get())) {
            decoder_done_ = true;
            break;
        }
        if (!next_position_ && !start_timeline_at(*decoded_)) continue;
        if (FramePtr chunk = convert(decoded_.get())) return chunk;
    }
    return convert(nullptr);  // the resampler's delayed samples, then null
}

// The first frame after opening or seeking tells where on the timeline decoding resumed;
// later chunks follow without gaps (sample counting does not drift, timestamps may jitter).
bool AudioSource::start_timeline_at(const AVFrame& first) {
    std::optional<std::int64_t> position = position_of(first);
    if (resume_by_ && (!position || *position > *resume_by_)) {
        // The seek landed after the wanted time (or cannot say where): decode from the start.
        rewind_to_beginning();
        return false;
    }
    next_position_ = position.value_or(0);
    resume_by_.reset();
    return true;
}

std::optional<std::int64_t> AudioSource::position_of(const AVFrame& decoded) const {
    std::int64_t ts = decoded.best_effort_timestamp;
    if (ts == AV_NOPTS_VALUE) ts = decoded.pts;
    if (ts == AV_NOPTS_VALUE) return std::nullopt;
    return av_rescale_q_rnd(ts - origin_, stream_->time_base, AVRational{1, target_.sample_rate},
                            static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX));
}

bool AudioSource::read_decoded_frame(AVFrame* frame) {
    for (;;) {
        int rc = avcodec_receive_frame(decoder_.get(), frame);
        if (rc == 0) return true;
        if (rc == AVERROR_EOF) return false;
        if (rc != AVERROR(EAGAIN)) {
            throw source_error(where_, path_, "decoding failed (" + av_error_text(rc) + ")");
        }
        send_next_packet();
    }
}

void AudioSource::send_next_packet() {
    while (!demuxer_done_) {
        int rc = av_read_frame(format_.get(), packet_.get());
        if (rc == AVERROR_EOF) break;
        if (rc < 0) throw source_error(where_, path_, "reading failed (" + av_error_text(rc) + ")");
        if (packet_->stream_index != stream_->index) {
            av_packet_unref(packet_.get());
            continue;
        }
        rc = avcodec_send_packet(decoder_.get(), packet_.get());
        av_packet_unref(packet_.get());
        // A damaged packet costs its few milliseconds of sound, not the render.
        if (rc == AVERROR_INVALIDDATA) continue;
        if (rc < 0)
            throw source_error(where_, path_, "decoding failed (" + av_error_text(rc) + ")");
        return;
    }
    demuxer_done_ = true;
    avcodec_send_packet(decoder_.get(), nullptr);  // drain; a repeated drain is harmless
}

FramePtr AudioSource::convert(const AVFrame* decoded) {
    if (decoded) configure_resampler(*decoded);
    if (!resampler_) return nullptr;
    const int in_count = decoded ? decoded->nb_samples : 0;
    const int capacity = swr_get_out_samples(resampler_.get(), in_count);
    if (capacity <= 0) return nullptr;

    FramePtr chunk = make_frame();
    chunk->format = target_.sample_format;
    chunk->sample_rate = target_.sample_rate;
    chunk->ch_layout = target_.layout();
    chunk->nb_samples = capacity;
    if (int rc = av_frame_get_buffer(chunk.get(), 0); rc < 0) {
        throw Error::internal("audio buffer: " + av_error_text(rc));
    }
    const uint8_t** input = decoded ? const_cast<const uint8_t**>(decoded->extended_data) : nullptr;
    const int produced =
        swr_convert(resampler_.get(), chunk->extended_data, capacity, input, in_count);
    if (produced < 0) {
        throw source_error(where_, path_, "resampling failed (" + av_error_text(produced) + ")");
    }
    if (produced == 0) return nullptr;
    chunk->nb_samples = produced;
    chunk->pts = *next_position_;
    *next_position_ += produced;
    return chunk;
}

void AudioSource::configure_resampler(const AVFrame& decoded) {
    AVChannelLayout layout = usable_layout(decoded.ch_layout);
    const bool unchanged = resampler_ && resampler_input_format_ == decoded.format &&
                           resampler_input_rate_ == decoded.sample_rate &&
                           av_channel_layout_compare(&layout, &resampler_input_layout_) == 0;
    if (unchanged) {
        av_channel_layout_uninit(&layout);
        return;
    }
    // A stream that changes its format midway loses the few samples the old resampler
    // still held; such streams are rare and the gap is below a millisecond.
    av_channel_layout_uninit(&resampler_input_layout_);
    resampler_input_layout_ = layout;
    resampler_input_format_ = decoded.format;
    resampler_input_rate_ = decoded.sample_rate;

    AVChannelLayout out_layout = target_.layout();  // FFmpeg 5.1 takes it non-const
    SwrContext* raw = nullptr;
    int rc = swr_alloc_set_opts2(
        &raw, &out_layout, target_.sample_format, target_.sample_rate, &resampler_input_layout_,
        static_cast<AVSampleFormat>(decoded.format), decoded.sample_rate, 0, nullptr);
    resampler_.reset(raw);
    if (rc >= 0) rc = swr_init(resampler_.get());
    if (rc < 0) {
        throw source_error(where_, path_, "cannot convert its audio (" + av_error_text(rc) + ")");
    }
}

}  // namespace kompo::media
