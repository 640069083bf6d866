#pragma once
// Which source frame each output frame of a segment shows (the rule is in
// plan/piece.hpp): output frame i shows the latest source frame displayed at or before
// source_start + i / fps * speed, and never one at or past source_end (it holds the
// last frame before it, as it holds the medium's last frame past its end).
// The window decodes forward only, from the keyframe before source_start; it never
// decodes from the file's start and re-seeks when the footage runs far ahead.
#include <cstdint>

#include "media/decode.hpp"
#include "plan/piece.hpp"

namespace kompo::media {

class SourceWindow {
  public:
    // Seeks and decodes up to the first frame; throws Error(media) "... has no picture
    // at T s" when the window starts past the end of the medium.
    SourceWindow(VideoDecoder& decoder, const plan::SegmentPiece& piece);

    // For output frame `index` (called with 0, 1, 2, ...): the source frame it shows, or
    // nullptr when that is the frame returned before (a repeat: reuse its picture).
    FramePtr advance_to(std::int64_t index);

  private:
    Seconds target_time(std::int64_t index) const;
    bool shows_at(Seconds frame_time, Seconds target) const;
    void start_at(Seconds t);
    void read_ahead();
    void check_window_start(const AVFrame* chosen, Seconds start) const;

    VideoDecoder& decoder_;
    const plan::SegmentPiece& piece_;
    FramePtr ahead_;  // decoded, not yet due
    Seconds ahead_time_;
    bool at_end_ = false;  // the decoder has no more frames
    bool shown_any_ = false;
    Seconds shown_end_;  // when the frame last returned stops being displayed
};

// "segments[2] ("Intro"): media/a.mp4 has no picture at 12.5 s (it is 10.0 s long)"
std::string no_picture_message(const plan::SegmentPiece& piece, Seconds at, Seconds length);

}  // namespace kompo::media
