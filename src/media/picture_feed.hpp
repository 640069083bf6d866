#pragma once
// The output pictures of a footage segment, decoded and fitted on a thread of their own a
// few frames ahead of the encoder: decoding and encoding overlap, so a segment that runs
// alone keeps two cores busy while the encoder's settings (and its bytes) stay as they are.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "media/handles.hpp"
#include "plan/piece.hpp"

namespace kompo::media {

class PictureFeed {
  public:
    // Starts opening the source of `piece` (a video) on the feed's thread; the decoder and
    // the picture filter get `threads` threads each.
    PictureFeed(const plan::SegmentPiece& piece, int threads);
    // Stops the thread (a picture being decoded is finished first) and waits for it.
    ~PictureFeed();
    PictureFeed(const PictureFeed&) = delete;
    PictureFeed& operator=(const PictureFeed&) = delete;

    // The picture of the next output frame (0, 1, 2, ... up to the piece's frame count);
    // a repeated source frame is the same picture as before. Rethrows what the feed's
    // thread threw (a missing source, "... has no picture at T s", a decoding error).
    AVFrame& next();

  private:
    void produce(const plan::SegmentPiece& piece, int threads, std::stop_token stop);
    // Hands one output frame's picture (nullptr: repeat the one before) to the encoder;
    // false when the feed is being stopped.
    bool deliver(FramePtr picture, const std::stop_token& stop);

    static constexpr std::size_t kAhead = 8;  // pictures decoded ahead of the encoder
    std::mutex mutex_;
    std::condition_variable_any changed_;
    std::deque<FramePtr> ready_;  // guarded by mutex_
    std::exception_ptr failure_;  // guarded by mutex_
    bool finished_ = false;       // guarded by mutex_: every frame was delivered
    FramePtr current_;            // the consumer's picture (its thread only)
    std::jthread thread_;         // last: started once the members above exist
};

}  // namespace kompo::media
