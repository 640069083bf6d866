#include "media/thumbnail.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

extern "C" {
#include <libswscale/swscale.h>
}

#include "core/error.hpp"
#include "media/decode.hpp"
#include "media/handles.hpp"
#include "media/picture.hpp"
#include "media/probe.hpp"

namespace kompo::media {

namespace {

// A thumbnail decodes a few frames: two threads keep it quick without letting one web
// request take every core of the server.
constexpr int kDecodeThreads = 2;
// mjpeg's quantiser scale: 2 is the finest, 31 the coarsest; 4 looks clean at a third of
// the size of 2.
constexpr int kJpegQscale = 4;

struct Size {
    int width = 0;
    int height = 0;
};

int even_below(double x) {
    return std::max(2, 2 * static_cast<int>(std::floor(x / 2)));
}

// Upright, square-pixelled, at most max_width wide, never larger than the source.
Size thumbnail_size(const AVFrame& frame, int rotation, int max_width) {
    const AVRational sar = frame.sample_aspect_ratio;
    const double pixel_aspect = sar.num > 0 && sar.den > 0 ? av_q2d(sar) : 1.0;
    double upright_width = frame.width * pixel_aspect;
    double upright_height = frame.height;
    if (rotation % 180 != 0) std::swap(upright_width, upright_height);

    Size size;
    size.width = std::min(even_below(max_width), even_below(upright_width + 1e-6));
    const double height = size.width * upright_height / upright_width;
    const int nearest = 2 * static_cast<int>(std::lround(height / 2));
    size.height = std::clamp(nearest, 2, even_below(upright_height + 1e-6));
    return size;
}

// The frame displayed at `at`: the last one starting at or before it, else the first.
FramePtr frame_shown_at(VideoDecoder& decoder, Seconds at) {
    FramePtr shown;
    while (FramePtr frame = decoder.next()) {
        if (shown && decoder.time_of(*frame) > at) break;
        shown = std::move(frame);
    }
    return shown;
}

FramePtr pick_frame(VideoDecoder& decoder, const MediaInfo& info, Seconds at) {
    if (info.kind == MediaKind::image) return decoder.next();
    if (info.duration > Seconds(0)) at = std::min(at, info.duration);
    decoder.seek(at);  // a medium that cannot seek is decoded from its start
    FramePtr frame = frame_shown_at(decoder, at);
    // A seek that lands past the last picture (a broken index) leaves nothing to decode.
    if (!frame && decoder.seek(Seconds(0))) frame = frame_shown_at(decoder, at);
    return frame;
}

// JPEG wants full-range YUV and (by convention) BT.601 colours.
FramePtr to_jpeg_colours(const AVFrame& picture) {
    FramePtr jpeg = make_frame();
    jpeg->format = AV_PIX_FMT_YUVJ420P;
    jpeg->width = picture.width;
    jpeg->height = picture.height;
    jpeg->color_range = AVCOL_RANGE_JPEG;
    jpeg->sample_aspect_ratio = AVRational{1, 1};
    if (int rc = av_frame_get_buffer(jpeg.get(), 0); rc < 0) {
        throw Error::internal("thumbnail picture: " + av_error_text(rc));
    }
    SwsPtr converter(sws_getContext(picture.width, picture.height,
                                    static_cast<AVPixelFormat>(picture.format), jpeg->width,
                                    jpeg->height, AV_PIX_FMT_YUVJ420P,
                                    SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
    if (!converter) throw Error::internal("thumbnail: cannot convert the picture for JPEG");
    const int source_full_range = picture.color_range == AVCOL_RANGE_JPEG ? 1 : 0;
    sws_setColorspaceDetails(converter.get(), sws_getCoefficients(picture.colorspace),
                             source_full_range, sws_getCoefficients(SWS_CS_ITU601), 1, 0, 1 << 16,
                             1 << 16);
    sws_scale(converter.get(), picture.data, picture.linesize, 0, picture.height, jpeg->data,
              jpeg->linesize);
    return jpeg;
}

std::string encode_jpeg(AVFrame& picture, const std::string& path) {
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (!codec) throw Error::internal("thumbnail: this FFmpeg has no mjpeg encoder");
    CodecContextPtr encoder(avcodec_alloc_context3(codec));
    if (!encoder) throw std::bad_alloc();
    encoder->width = picture.width;
    encoder->height = picture.height;
    encoder->pix_fmt = AV_PIX_FMT_YUVJ420P;
    encoder->color_range = AVCOL_RANGE_JPEG;
    encoder->sample_aspect_ratio = AVRational{1, 1};
    encoder->time_base = AVRational{1, 25};
    encoder->flags |= AV_CODEC_FLAG_QSCALE;
    encoder->global_quality = FF_QP2LAMBDA * kJpegQscale;
    if (int rc = avcodec_open2(encoder.get(), codec, nullptr); rc < 0) {
        throw Error::internal(path + ": cannot open the JPEG encoder (" + av_error_text(rc) + ")");
    }
    picture.quality = encoder->global_quality;  // the quantiser of a fixed-quality frame
    picture.pts = 0;
    int rc = avcodec_send_frame(encoder.get(), &picture);
    if (rc >= 0) rc = avcodec_send_frame(encoder.get(), nullptr);
    PacketPtr packet = make_packet();
    if (rc >= 0) rc = avcodec_receive_packet(encoder.get(), packet.get());
    if (rc < 0) {
        throw Error::internal(path + ": JPEG encoding failed (" + av_error_text(rc) + ")");
    }
    return std::string(reinterpret_cast<const char*>(packet->data),
                       static_cast<std::size_t>(packet->size));
}

}  // namespace

std::string thumbnail_jpeg(const std::filesystem::path& file, Seconds at, int max_width) {
    const std::string path = file.string();
    if (max_width < 2) {
        throw Error::invalid(path + ": thumbnail width " + std::to_string(max_width) +
                             " is too small (at least 2 pixels)");
    }
    if (!(at > Seconds(0))) at = Seconds(0);  // negative, or NaN

    const MediaInfo info = probe(path);
    if (!info.video) throw Error::media(path + ": has no picture (sound only), so no thumbnail");

    VideoDecoder decoder(path, kDecodeThreads);
    FramePtr frame = pick_frame(decoder, info, at);
    if (!frame) throw Error::media(path + ": not a decodable medium (no picture decodes)");

    const int rotation = info.video->rotation;
    const Size size = thumbnail_size(*frame, rotation, max_width);
    // Cropping to the exact thumbnail shape trims at most a pixel: no black edges.
    PictureFilter filter(size.width, size.height, plan::Fit::crop, rotation, 1);
    const FramePtr picture = filter.apply(std::move(frame));
    FramePtr jpeg = to_jpeg_colours(*picture);
    return encode_jpeg(*jpeg, path);
}

}  // namespace kompo::media
