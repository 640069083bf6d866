#include "media/picture_feed.hpp"

#include "core/error.hpp"
#include "media/decode.hpp"
#include "media/picture.hpp"
#include "media/segment_window.hpp"

namespace kompo::media {

PictureFeed::PictureFeed(const plan::SegmentPiece& piece, int threads)
    : thread_([this, piece, threads](std::stop_token stop) { produce(piece, threads, stop); }) {}

PictureFeed::~PictureFeed() {
    thread_.request_stop();  // wakes a deliver() waiting for room through changed_
    thread_.join();
}

// Each source frame that is shown is fitted once; a repeated frame reuses its picture,
// and frames passed over (faster than real time, cut away) are decoded only.
void PictureFeed::produce(const plan::SegmentPiece& piece, int threads, std::stop_token stop) {
    try {
        VideoDecoder decoder(piece.source_path, threads);
        SourceWindow window(decoder, piece);
        PictureFilter filter(piece.format.width, piece.format.height, piece.fit, piece.rotation,
                             threads);
        for (std::int64_t index = 0; index < piece.frame_count.value(); ++index) {
            FramePtr shown = window.advance_to(index);
            FramePtr picture = shown ? filter.apply(std::move(shown)) : nullptr;
            if (!deliver(std::move(picture), stop)) return;
        }
        std::lock_guard lock(mutex_);
        finished_ = true;
        changed_.notify_all();
    } catch (...) {
        std::lock_guard lock(mutex_);
        failure_ = std::current_exception();
        changed_.notify_all();
    }
}

bool PictureFeed::deliver(FramePtr picture, const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, stop, [&] { return ready_.size() < kAhead; });
    if (stop.stop_requested()) return false;  // even with room: the encoder is gone
    ready_.push_back(std::move(picture));
    changed_.notify_all();
    return true;
}

AVFrame& PictureFeed::next() {
    FramePtr picture;
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return !ready_.empty() || failure_ || finished_; });
        if (ready_.empty() && failure_) std::rethrow_exception(failure_);
        if (ready_.empty())
            throw Error::internal("picture feed: more frames asked than the piece has");
        picture = std::move(ready_.front());
        ready_.pop_front();
        changed_.notify_all();
    }
    if (picture) current_ = std::move(picture);
    if (!current_) throw Error::internal("picture feed: a repeat before any picture");
    return *current_;
}

}  // namespace kompo::media
