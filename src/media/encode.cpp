#include "media/encode.hpp"

#include <cmath>

extern "C" {
#include <libavutil/opt.h>
}

#include "core/error.hpp"
#include "media/decode_input.hpp"

namespace kompo::media {

namespace {

// A keyframe every two seconds: seeking in the result stays quick, the cost in size small.
int gop_frames(const FrameRate& rate) {
    return std::max(1, static_cast<int>(std::lround(2.0 * rate.as_double())));
}

void set_option(AVCodecContext& codec, const char* name, const std::string& value) {
    if (int rc = av_opt_set(codec.priv_data, name, value.c_str(), 0); rc < 0) {
        throw Error::internal(std::string("encoder option ") + name + "=" + value + ": " +
                              av_error_text(rc));
    }
}

void configure_h264(AVCodecContext& codec, const plan::OutputFormat& format) {
    set_option(codec, "preset", format.preset);
    set_option(codec, "crf", std::to_string(format.crf));
    set_option(codec, "profile", "high");
    // Closed GOPs: a segment's last frames never refer to the next segment's first ones.
    codec.flags |= AV_CODEC_FLAG_CLOSED_GOP;
}

void configure_vp9(AVCodecContext& codec, const plan::OutputFormat& format) {
    codec.bit_rate = 0;  // constant quality: crf alone decides
    set_option(codec, "crf", std::to_string(format.crf));
    set_option(codec, "deadline", "realtime");
    set_option(codec, "cpu-used", "8");
    set_option(codec, "row-mt", "1");
}

CodecContextPtr open_encoder(const plan::OutputFormat& format, int threads) {
    quiet_ffmpeg_logging();
    const bool vp9 = format.video_codec == plan::VideoCodec::vp9;
    const char* name = vp9 ? "libvpx-vp9" : "libx264";
    const AVCodec* encoder = avcodec_find_encoder_by_name(name);
    if (!encoder) throw Error::internal(std::string("this FFmpeg has no ") + name + " encoder");
    CodecContextPtr codec(avcodec_alloc_context3(encoder));
    if (!codec) throw std::bad_alloc();

    codec->width = format.width;
    codec->height = format.height;
    codec->pix_fmt = AV_PIX_FMT_YUV420P;
    codec->sample_aspect_ratio = AVRational{1, 1};
    codec->time_base = AVRational{format.frame_rate.den, format.frame_rate.num};
    codec->framerate = AVRational{format.frame_rate.num, format.frame_rate.den};
    codec->gop_size = gop_frames(format.frame_rate);
    codec->thread_count = threads > 0 ? threads : 0;
    codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;  // mp4 keeps the headers in the stream description
    if (vp9) {
        configure_vp9(*codec, format);
    } else {
        configure_h264(*codec, format);
    }
    if (int rc = avcodec_open2(codec.get(), encoder, nullptr); rc < 0) {
        throw Error::internal(std::string("cannot open the ") + name + " encoder (" +
                              av_error_text(rc) + ")");
    }
    return codec;
}

std::unique_ptr<IntermediateOutput> open_output(const std::string& path,
                                                const plan::OutputFormat& format,
                                                const AVCodecContext& codec) {
    CodecParametersPtr parameters(avcodec_parameters_alloc());
    if (!parameters) throw std::bad_alloc();
    if (int rc = avcodec_parameters_from_context(parameters.get(), &codec); rc < 0) {
        throw Error::internal("encoder parameters: " + av_error_text(rc));
    }
    return std::make_unique<IntermediateOutput>(path, format, *parameters);
}

}  // namespace

VideoEncoder::VideoEncoder(const std::string& path, const plan::OutputFormat& format, int threads)
    : path_(path),
      codec_(open_encoder(format, threads)),
      output_(open_output(path, format, *codec_)),
      packet_(make_packet()) {}

void VideoEncoder::write(AVFrame& picture, std::int64_t index) {
    picture.pts = index;
    // The source's frame types mean nothing here (libx264 would obey an I from the source).
    picture.pict_type = AV_PICTURE_TYPE_NONE;
    picture.key_frame = 0;
    if (int rc = avcodec_send_frame(codec_.get(), &picture); rc < 0) {
        throw Error::internal(path_ + ": encoding frame " + std::to_string(index) + " failed (" +
                              av_error_text(rc) + ")");
    }
    drain(false);
}

void VideoEncoder::finish() {
    if (int rc = avcodec_send_frame(codec_.get(), nullptr); rc < 0) {
        throw Error::internal(path_ + ": flushing the encoder failed (" + av_error_text(rc) + ")");
    }
    drain(true);
    output_->finish();
}

// Moves every packet the encoder has ready into the file.
void VideoEncoder::drain(bool flushing) {
    for (;;) {
        const int rc = avcodec_receive_packet(codec_.get(), packet_.get());
        if (rc == AVERROR(EAGAIN) && !flushing) return;
        if (rc == AVERROR_EOF) return;
        if (rc < 0) throw Error::internal(path_ + ": encoding failed (" + av_error_text(rc) + ")");
        packet_->duration = 1;  // one frame: the muxer then knows how long the last one lasts
        av_packet_rescale_ts(packet_.get(), codec_->time_base, output_->frame_time_base());
        output_->write(*packet_);
    }
}

}  // namespace kompo::media
