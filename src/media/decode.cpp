#include "media/decode.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace kompo::media {

namespace {

AVStream& require_video_stream(AVFormatContext& input, const std::string& path) {
    AVStream* stream = best_video_stream(input);
    if (!stream) throw Error::media(path + ": has no picture (no video stream)");
    return *stream;
}

CodecContextPtr open_decoder(const AVStream& stream, const std::string& path, int threads) {
    const AVCodec* codec = avcodec_find_decoder(stream.codecpar->codec_id);
    if (!codec) {
        throw Error::media(path + ": not a decodable medium (no decoder for codec " +
                           avcodec_get_name(stream.codecpar->codec_id) + ")");
    }
    CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context) throw std::bad_alloc();
    if (int rc = avcodec_parameters_to_context(context.get(), stream.codecpar); rc < 0) {
        throw Error::internal(path + ": cannot set up the decoder (" + av_error_text(rc) + ")");
    }
    context->pkt_timebase = stream.time_base;
    context->thread_count = threads > 0 ? threads : 0;  // 0: FFmpeg picks
    context->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
    if (int rc = avcodec_open2(context.get(), codec, nullptr); rc < 0) {
        throw Error::media(path + ": cannot open its " + codec->name + " decoder (" +
                           av_error_text(rc) + ")");
    }
    return context;
}

Seconds nominal_frame_duration(const AVStream& stream) {
    AVRational rate = stream.avg_frame_rate.num > 0 ? stream.avg_frame_rate : stream.r_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) return Seconds(1.0 / 25);
    return Seconds(av_q2d(av_inv_q(rate)));
}

// Which frames no other frame refers to is certain in H.264 and HEVC (nal_ref_idc, the NAL
// type). At a constant rate each frame's duration reaches to the next one, so a frame that
// ends before a time is followed by another before that time.
bool may_skip_non_reference(const AVStream& stream) {
    const AVCodecID codec = stream.codecpar->codec_id;
    const bool known = codec == AV_CODEC_ID_H264 || codec == AV_CODEC_ID_HEVC;
    const bool constant_rate =
        stream.avg_frame_rate.num > 0 && av_cmp_q(stream.avg_frame_rate, stream.r_frame_rate) == 0;
    return known && constant_rate;
}

}  // namespace

VideoDecoder::VideoDecoder(const std::string& path, int threads)
    : path_(path),
      input_(open_input(path)),
      stream_(&require_video_stream(*input_, path)),
      clock_(*input_, *stream_),
      codec_(open_decoder(*stream_, path, threads)),
      packet_(make_packet()),
      frame_duration_(nominal_frame_duration(*stream_)),
      may_skip_(may_skip_non_reference(*stream_)) {
    discard_other_streams(*input_, *stream_);
}

void VideoDecoder::skip_unneeded_before(Seconds t) {
    needed_from_ = std::max(needed_from_, t);
}

// A frame is unneeded when it and the frame after it both end before `needed_from_`: the
// one frame of margin keeps a shown frame even where a duration is rounded or a frame late.
bool VideoDecoder::unneeded(const AVPacket& packet) const {
    if (!may_skip_ || packet.pts == AV_NOPTS_VALUE || packet.duration <= 0) return false;
    const Seconds ends = clock_.seconds(packet.pts + 2 * packet.duration);
    return ends <= needed_from_;
}

bool VideoDecoder::seek(Seconds t) {
    const bool moved = seek_to_keyframe_before(*input_, *stream_, clock_, t);
    if (moved) {
        avcodec_flush_buffers(codec_.get());
        draining_ = false;
        last_timestamp_ = AV_NOPTS_VALUE;
    }
    return moved;
}

FramePtr VideoDecoder::next() {
    FramePtr frame = make_frame();
    for (;;) {
        const int rc = avcodec_receive_frame(codec_.get(), frame.get());
        if (rc >= 0) {
            fill_in_timing(*frame);
            frame->sample_aspect_ratio =
                av_guess_sample_aspect_ratio(input_.get(), stream_, frame.get());
            return frame;
        }
        if (rc == AVERROR_EOF) return nullptr;
        // A damaged picture is skipped, as players do; the next one may decode.
        if (rc == AVERROR_INVALIDDATA) continue;
        if (rc != AVERROR(EAGAIN)) {
            throw Error::media(path_ + ": decoding failed (" + av_error_text(rc) + ")");
        }
        feed_decoder();
    }
}

// Sends the next packet of our stream, or the end-of-stream signal after the last one.
void VideoDecoder::feed_decoder() {
    if (draining_) return;
    for (;;) {
        int rc = av_read_frame(input_.get(), packet_.get());
        if (rc == AVERROR_EOF) {
            draining_ = true;
            avcodec_send_packet(codec_.get(), nullptr);
            return;
        }
        if (rc < 0) throw Error::media(path_ + ": cannot read (" + av_error_text(rc) + ")");
        if (packet_->stream_index != stream_->index) {
            av_packet_unref(packet_.get());
            continue;
        }
        // Read per frame by the decoder (frame threads too): non-reference frames that
        // will not be shown are not decoded at all.
        codec_->skip_frame = unneeded(*packet_) ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        rc = avcodec_send_packet(codec_.get(), packet_.get());
        av_packet_unref(packet_.get());
        if (rc == AVERROR_INVALIDDATA) continue;  // a damaged packet: try the next one
        if (rc < 0 && rc != AVERROR(EAGAIN)) {
            throw Error::media(path_ + ": decoding failed (" + av_error_text(rc) + ")");
        }
        return;
    }
}

// Frames without a timestamp (rare: raw streams) follow the one before them.
void VideoDecoder::fill_in_timing(AVFrame& frame) {
    if (frame.best_effort_timestamp == AV_NOPTS_VALUE) {
        const std::int64_t step =
            av_rescale_q(1, av_d2q(frame_duration_.value(), 1 << 20), stream_->time_base);
        frame.best_effort_timestamp = last_timestamp_ == AV_NOPTS_VALUE
                                          ? clock_.timestamp(Seconds(0))
                                          : last_timestamp_ + step;
    }
    last_timestamp_ = frame.best_effort_timestamp;
}

Seconds VideoDecoder::time_of(const AVFrame& frame) const {
    return clock_.seconds(frame.best_effort_timestamp);
}

Seconds VideoDecoder::duration_of(const AVFrame& frame) const {
    if (frame.pkt_duration > 0) {
        return Seconds(static_cast<double>(frame.pkt_duration) * av_q2d(stream_->time_base));
    }
    return frame_duration_;
}

Seconds VideoDecoder::medium_duration() const {
    return media::medium_duration(*input_, stream_);
}

}  // namespace kompo::media
