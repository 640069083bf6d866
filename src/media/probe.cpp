#include "media/probe.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>

extern "C" {
#include <libavutil/display.h>
#include <libavutil/md5.h>
#include <libavutil/pixdesc.h>
}

#include "core/error.hpp"
#include "media/decode_input.hpp"
#include "media/handles.hpp"

namespace kompo::media {

namespace {

// Codecs that store single pictures; in a container of their own they are stills.
bool is_still_codec(AVCodecID id) {
    switch (id) {
        case AV_CODEC_ID_PNG:
        case AV_CODEC_ID_MJPEG:
        case AV_CODEC_ID_WEBP:
        case AV_CODEC_ID_BMP:
        case AV_CODEC_ID_TIFF:
        case AV_CODEC_ID_JPEG2000:
        case AV_CODEC_ID_JPEGLS:
            return true;
        default:
            return false;
    }
}

// image2 reads single image files; jpeg_pipe, png_pipe, webp_pipe... detect them by content.
bool is_image_demuxer(std::string_view name) {
    return name == "image2" || (name.size() > 5 && name.substr(name.size() - 5) == "_pipe");
}

MediaKind kind_of(const AVFormatContext& input, const AVStream* video) {
    if (!video) return MediaKind::audio;
    if (is_image_demuxer(input.iformat->name)) return MediaKind::image;
    if (is_still_codec(video->codecpar->codec_id) && video->nb_frames == 1) return MediaKind::image;
    return MediaKind::video;
}

FrameRate frame_rate_of(const AVStream& stream) {
    AVRational rate = stream.avg_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) rate = stream.r_frame_rate;
    if (rate.num <= 0 || rate.den <= 0) return FrameRate{};
    int num = 0;
    int den = 0;
    av_reduce(&num, &den, rate.num, rate.den, INT32_MAX);
    return FrameRate{num, den};
}

// The display matrix says how a player turns the coded picture; like the ffmpeg program,
// we turn it by the negated matrix angle, snapped to quarter turns (flips are ignored).
int rotation_of(const AVStream& stream) {
    size_t size = 0;
    const uint8_t* matrix = av_stream_get_side_data(&stream, AV_PKT_DATA_DISPLAYMATRIX, &size);
    if (!matrix || size < 9 * sizeof(int32_t)) return 0;
    const double angle = -av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
    if (std::isnan(angle)) return 0;
    const long quarters = std::lround(angle / 90.0);
    return static_cast<int>(((quarters % 4) + 4) % 4) * 90;
}

std::string extradata_hash(const AVCodecParameters& par) {
    uint8_t digest[16] = {};
    av_md5_sum(digest, par.extradata, par.extradata_size);
    std::string hex;
    char byte[3];
    for (uint8_t b : digest) {
        std::snprintf(byte, sizeof byte, "%02x", b);
        hex += byte;
    }
    return hex;
}

void require_decoder(const std::string& path, const AVCodecParameters& par) {
    if (!avcodec_find_decoder(par.codec_id)) {
        throw Error::media(path + ": not a decodable medium (no decoder for codec " +
                           avcodec_get_name(par.codec_id) + ")");
    }
}

VideoStreamInfo describe_video(const AVStream& stream) {
    const AVCodecParameters& par = *stream.codecpar;
    VideoStreamInfo info;
    info.codec = avcodec_get_name(par.codec_id);
    info.width = par.width;
    info.height = par.height;
    info.frame_rate = frame_rate_of(stream);
    info.rotation = rotation_of(stream);
    const char* pix = av_get_pix_fmt_name(static_cast<AVPixelFormat>(par.format));
    info.pixel_format = pix ? pix : "";
    info.extradata_hash = extradata_hash(par);
    return info;
}

AudioStreamInfo describe_audio(const AVStream& stream) {
    const AVCodecParameters& par = *stream.codecpar;
    return AudioStreamInfo{avcodec_get_name(par.codec_id), par.sample_rate,
                           par.ch_layout.nb_channels};
}

// Reads every packet of the video stream (not decoding): keyframe flags are in the packets.
std::vector<Seconds> scan_keyframes(const std::string& path, AVFormatContext& input,
                                    const AVStream& video) {
    discard_other_streams(input, video);
    const SourceClock clock(input, video);
    std::vector<Seconds> keyframes;
    PacketPtr packet = make_packet();
    int rc = 0;
    while ((rc = av_read_frame(&input, packet.get())) >= 0) {
        const std::int64_t ts = packet->pts != AV_NOPTS_VALUE ? packet->pts : packet->dts;
        if (packet->stream_index == video.index && (packet->flags & AV_PKT_FLAG_KEY) &&
            ts != AV_NOPTS_VALUE) {
            keyframes.push_back(clock.seconds(ts));
        }
        av_packet_unref(packet.get());
    }
    if (rc != AVERROR_EOF) {
        throw Error::media(path + ": cannot read its packets (" + av_error_text(rc) + ")");
    }
    std::sort(keyframes.begin(), keyframes.end());
    keyframes.erase(std::unique(keyframes.begin(), keyframes.end()), keyframes.end());
    return keyframes;
}

}  // namespace

MediaInfo probe(const std::string& path, bool with_keyframes) {
    InputFormatPtr input = open_input(path);
    AVStream* video = best_video_stream(*input);
    AVStream* audio = best_audio_stream(*input);
    if (!video && !audio) {
        throw Error::media(path + ": not a decodable medium (it has no picture and no sound)");
    }

    MediaInfo info;
    info.path = path;
    info.container = input->iformat->name;
    info.kind = kind_of(*input, video);
    if (video) {
        require_decoder(path, *video->codecpar);
        info.video = describe_video(*video);
    }
    if (audio) {
        require_decoder(path, *audio->codecpar);
        info.audio = describe_audio(*audio);
    }
    info.duration = info.kind == MediaKind::image ? Seconds(0) : medium_duration(*input, video);
    if (with_keyframes && video && info.kind == MediaKind::video) {
        info.video->keyframes = scan_keyframes(path, *input, *video);
    }
    return info;
}

}  // namespace kompo::media
