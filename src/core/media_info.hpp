#pragma once
// What probing a medium tells the planner. Plain data: no FFmpeg types here, so the
// planner stays pure and testable without media.
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace kompo {

enum class MediaKind { video, audio, image };

// The contract's `mediatype` word for a kind ("video", "audio", "image").
inline const char* media_kind_name(MediaKind kind) {
    switch (kind) {
        case MediaKind::audio:
            return "audio";
        case MediaKind::image:
            return "image";
        case MediaKind::video:
            break;
    }
    return "video";
}

struct VideoStreamInfo {
    std::string codec;  // FFmpeg codec name, e.g. "h264"
    int width = 0;      // coded size, before rotation
    int height = 0;
    FrameRate frame_rate;  // average frame rate
    int rotation = 0;      // clockwise degrees to turn the picture upright: 0, 90, 180, 270
    std::string pixel_format;
    std::string extradata_hash;  // equal hashes: the streams can be joined without re-encoding
    // Keyframe times, filled only when asked for (stream-copy planning).
    std::vector<Seconds> keyframes;

    int display_width() const { return rotation % 180 == 0 ? width : height; }
    int display_height() const { return rotation % 180 == 0 ? height : width; }
};

struct AudioStreamInfo {
    std::string codec;
    int sample_rate = 0;
    int channels = 0;
};

struct MediaInfo {
    std::string path;
    std::string container;  // libavformat's short name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    MediaKind kind = MediaKind::video;
    Seconds duration;  // 0 for a still image
    std::optional<VideoStreamInfo> video;
    std::optional<AudioStreamInfo> audio;
};

}  // namespace kompo
