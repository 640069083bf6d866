#include "media/segment_window.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace kompo::media {

namespace {

// Timestamps in containers are rounded (mp4 to its timescale, Matroska to milliseconds):
// a frame within a millisecond of a time counts as at that time.
constexpr Seconds kTolerance(0.001);

// Footage running this far ahead of the decoder (fast retiming) is reached by seeking
// rather than by decoding everything in between.
constexpr Seconds kSeekAhead(3.0);

}  // namespace

std::string no_picture_message(const plan::SegmentPiece& piece, Seconds at, Seconds length) {
    return piece.where + ": " + piece.source_path + " has no picture at " + seconds_text(at) +
           " s (it is " + seconds_text(length) + " s long)";
}

SourceWindow::SourceWindow(VideoDecoder& decoder, const plan::SegmentPiece& piece)
    : decoder_(decoder), piece_(piece) {
    decoder_.skip_unneeded_before(piece.source_start);
    start_at(piece.source_start);
}

Seconds SourceWindow::target_time(std::int64_t index) const {
    return piece_.source_start + piece_.format.frame_rate.time_of(FrameIndex(index)) * piece_.speed;
}

bool SourceWindow::shows_at(Seconds frame_time, Seconds target) const {
    return frame_time <= target + kTolerance && frame_time < piece_.source_end - kTolerance;
}

void SourceWindow::read_ahead() {
    if (ahead_ || at_end_) return;
    ahead_ = decoder_.next();
    if (ahead_) {
        ahead_time_ = decoder_.time_of(*ahead_);
    } else {
        at_end_ = true;
    }
}

// Seeks to the keyframe before `t`. Some demuxers (mp4 with B-frames) seek by decode
// time and can land on a keyframe displayed just after `t`: then it steps back further.
void SourceWindow::start_at(Seconds t) {
    ahead_.reset();
    at_end_ = false;
    if (t <= kTolerance && !shown_any_) {  // a fresh decoder already stands at the start
        read_ahead();
        return;
    }
    Seconds seek_to = t;
    Seconds step(1.0);
    for (;;) {
        const bool moved = decoder_.seek(seek_to);
        ahead_.reset();
        at_end_ = false;
        read_ahead();
        const bool landed_late = at_end_ || ahead_time_ > t + kTolerance;
        if (!moved || !landed_late || seek_to <= Seconds(0)) return;
        seek_to = std::max(Seconds(0), seek_to - step);
        step = step * 2.0;
    }
}

FramePtr SourceWindow::advance_to(std::int64_t index) {
    const Seconds target = target_time(index);
    decoder_.skip_unneeded_before(target);  // targets only grow: earlier frames are passed over
    read_ahead();
    const bool target_in_window = target < piece_.source_end - kTolerance;
    if (ahead_ && target_in_window && target - ahead_time_ > kSeekAhead) start_at(target);

    FramePtr chosen;
    while (ahead_ && shows_at(ahead_time_, target)) {
        shown_end_ = ahead_time_ + decoder_.duration_of(*ahead_);
        chosen = std::move(ahead_);  // a frame chosen before is passed over: it is not due
        read_ahead();
    }
    // The medium's first frame may come a little after the window's start: show it.
    if (!chosen && !shown_any_ && ahead_ && ahead_time_ < piece_.source_end - kTolerance) {
        shown_end_ = ahead_time_ + decoder_.duration_of(*ahead_);
        chosen = std::move(ahead_);
        read_ahead();
    }
    if (!shown_any_) {
        check_window_start(chosen.get(), target);
        shown_any_ = true;
    }
    return chosen;
}

// Nothing to show, or only a frame that ended before the window began (the window starts
// past the end of the medium): the segment has no picture.
void SourceWindow::check_window_start(const AVFrame* chosen, Seconds start) const {
    const bool ended_before = at_end_ && shown_end_ <= start - kTolerance;
    if (!chosen || ended_before) {
        throw Error::media(no_picture_message(piece_, start, decoder_.medium_duration()));
    }
}

}  // namespace kompo::media
