#include "plan/stream_copy.hpp"

#include <algorithm>
#include <cmath>

namespace kompo::plan {

namespace {

const char* codec_name(VideoCodec codec) {
    return codec == VideoCodec::h264 ? "h264" : "vp9";
}

// Within a quarter of a frame: container timestamps are rounded to their time base.
bool near(Seconds a, Seconds b, const FrameRate& fps) {
    return std::fabs(a.value() - b.value()) < 0.25 / fps.as_double();
}

bool on_keyframe(const std::vector<Seconds>& keyframes, Seconds t, const FrameRate& fps) {
    return std::any_of(keyframes.begin(), keyframes.end(),
                       [&](Seconds k) { return near(k, t, fps); });
}

const MediaInfo* media_at(const MediaBySource& media, const std::string& path) {
    for (const auto& [id, info] : media) {
        if (info.path == path) return &info;
    }
    return nullptr;
}

bool piece_copyable(const SegmentPiece& piece, const MediaInfo* info) {
    if (piece.kind != PictureKind::video || piece.speed != 1.0 || !info) return false;
    if (!copy_candidate(*info, piece.format)) return false;
    const FrameRate& fps = piece.format.frame_rate;
    const Seconds end = piece.source_start + fps.duration_of(piece.frame_count);
    const bool ends_at_stream_end = near(end, info->duration, fps);
    if (end > piece.source_end && !near(end, piece.source_end, fps)) return false;  // a hold
    return on_keyframe(info->video->keyframes, piece.source_start, fps) &&
           (ends_at_stream_end || on_keyframe(info->video->keyframes, end, fps));
}

}  // namespace

bool copy_candidate(const MediaInfo& info, const OutputFormat& format) {
    if (info.kind != MediaKind::video || !info.video) return false;
    const auto& v = *info.video;
    return v.codec == codec_name(format.video_codec) && v.width == format.width &&
           v.height == format.height && v.frame_rate == format.frame_rate && v.rotation == 0 &&
           v.pixel_format == "yuv420p";
}

void mark_stream_copies(Plan& plan, const MediaBySource& media) {
    if (plan.segments.empty()) return;
    std::string headers;
    for (const auto& piece : plan.segments) {
        const MediaInfo* info = media_at(media, piece.source_path);
        if (!piece_copyable(piece, info)) return;
        if (headers.empty()) headers = info->video->extradata_hash;
        if (info->video->extradata_hash != headers) return;
    }
    for (auto& piece : plan.segments) piece.stream_copy = true;
}

}  // namespace kompo::plan
