#pragma once
// What a video looks like over time, for choosing windows of it: where the shots change
// (libavfilter's scdet) and, second by second, how bright it is and how much it moves.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/units.hpp"

namespace kompo::media {

struct ShotChange {
    std::int64_t frame = 0;  // the first frame of the new shot, counted from the first frame
    Seconds time;            // when that frame is shown, from the medium's start
    double score = 0;        // scdet's score, 0..100: how different it is from the frame before
};

struct SecondProfile {
    double brightness = 0;  // mean luma, 0 (black) .. 1 (white)
    double motion = 0;      // mean absolute luma change between frames, 0 (still) .. 1
};

struct VideoProfile {
    FrameRate frame_rate;     // the stream's average rate
    std::int64_t frames = 0;  // frames decoded
    Seconds duration;
    std::vector<ShotChange> shot_changes;  // in time order
    std::vector<SecondProfile> seconds;    // entry s covers [s, s + 1) seconds
};

// Decodes every frame of `file`'s main video stream and describes it. `threshold` is
// scdet's (0..100): a frame whose score reaches it starts a new shot.
// Throws Error(media) naming the file when it is missing, undecodable or has no picture,
// Error(cancelled) once `cancelled` (when given) is set.
VideoProfile video_profile(const std::filesystem::path& file, double threshold = 10.0,
                           const std::atomic<bool>* cancelled = nullptr);

}  // namespace kompo::media
