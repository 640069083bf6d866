#pragma once
// Memory for a decoder's pictures in transparent huge pages. A 1080p picture spans ~800
// small pages: motion compensation reads reference pictures all over them, and the TLB
// misses (plus a page fault and a zeroing per small page of each new picture) cost ~10 %
// of H.264 decoding on the bench (docs/rendering.md, "Where the CPU goes").
#include <cstddef>
#include <mutex>

#include "media/handles.hpp"

namespace kompo::media {

class PicturePool {
  public:
    PicturePool() = default;
    PicturePool(const PicturePool&) = delete;
    PicturePool& operator=(const PicturePool&) = delete;
    // Pictures still in use keep their memory: FFmpeg frees it when the last one goes.
    ~PicturePool();

    // Makes `codec` take its pictures from this pool, when the decoder lets its caller
    // allocate them (AV_CODEC_CAP_DR1). The pool must outlive the decoder.
    void serve(AVCodecContext& codec);

  private:
    static int get_buffer(AVCodecContext* codec, AVFrame* frame, int flags);
    AVBufferRef* buffer_of_size(std::size_t size);

    std::mutex mutex_;  // frame threads ask for pictures concurrently
    AVBufferPool* pool_ = nullptr;
    std::size_t buffer_size_ = 0;
};

}  // namespace kompo::media
