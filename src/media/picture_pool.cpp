#include "media/picture_pool.hpp"

#include <sys/mman.h>

#include <array>
#include <cstdint>

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

namespace kompo::media {

namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Rows start on 64 bytes (AVX-512 loads); 64 more bytes after each plane for SIMD overreads.
constexpr int kAlign = 64;

std::size_t round_up(std::size_t n, std::size_t to) {
    return (n + to - 1) / to * to;
}

void unmap_pictures(void* length, std::uint8_t* data) {
    munmap(data, reinterpret_cast<std::size_t>(length));
}

// A whole number of huge pages, aligned to one, marked for the kernel to back them with
// huge pages (a hint: without them it is ordinary memory). Fresh pages read as zero.
AVBufferRef* map_pictures(void*, std::size_t size) {
    const std::size_t length = round_up(size, kHugePage);
    void* raw = mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    auto* start = static_cast<std::uint8_t*>(raw);
    auto* aligned = reinterpret_cast<std::uint8_t*>(
        round_up(reinterpret_cast<std::uintptr_t>(start), kHugePage));
    if (aligned > start) munmap(start, static_cast<std::size_t>(aligned - start));
    const std::size_t tail =
        static_cast<std::size_t>(start + length + kHugePage - (aligned + length));
    if (tail > 0) munmap(aligned + length, tail);
    madvise(aligned, length, MADV_HUGEPAGE);
    AVBufferRef* buffer =
        av_buffer_create(aligned, size, unmap_pictures, reinterpret_cast<void*>(length), 0);
    if (!buffer) munmap(aligned, length);
    return buffer;
}

// Planar and packed formats with plain planes; palettes and hardware frames go to FFmpeg.
bool poolable(const AVCodecContext& codec, const AVFrame& frame) {
    const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(static_cast<AVPixelFormat>(frame.format));
    if (!desc || codec.codec_type != AVMEDIA_TYPE_VIDEO) return false;
    return (desc->flags &
            (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_BITSTREAM)) == 0;
}

struct Layout {
    std::array<int, 4> linesize{};
    std::array<std::size_t, 4> offset{};
    std::size_t size = 0;
};

// The decoder's padded dimensions (edges, macroblock rounding), each row aligned.
bool picture_layout(AVCodecContext& codec, const AVFrame& frame, Layout& layout) {
    int width = frame.width;
    int height = frame.height;
    int row_align[AV_NUM_DATA_POINTERS];
    avcodec_align_dimensions2(&codec, &width, &height, row_align);
    const auto format = static_cast<AVPixelFormat>(frame.format);
    if (av_image_fill_linesizes(layout.linesize.data(), format, width) < 0) return false;
    std::array<ptrdiff_t, 4> linesizes{};
    for (int i = 0; i < 4; ++i) {
        layout.linesize[i] = static_cast<int>(round_up(layout.linesize[i], kAlign));
        linesizes[i] = layout.linesize[i];
    }
    std::array<std::size_t, 4> sizes{};
    if (av_image_fill_plane_sizes(sizes.data(), format, height, linesizes.data()) < 0) return false;
    for (int i = 0; i < 4; ++i) {
        layout.offset[i] = layout.size;
        if (sizes[i] > 0) layout.size += round_up(sizes[i] + kAlign, kAlign);
    }
    return layout.size > 0;
}

}  // namespace

PicturePool::~PicturePool() {
    av_buffer_pool_uninit(&pool_);
}

void PicturePool::serve(AVCodecContext& codec) {
    if (!codec.codec || !(codec.codec->capabilities & AV_CODEC_CAP_DR1)) return;
    codec.opaque = this;
    codec.get_buffer2 = &PicturePool::get_buffer;
}

// One pool per picture size: a source that changes size midway starts a new one (the old
// one lives on until its last picture is released).
AVBufferRef* PicturePool::buffer_of_size(std::size_t size) {
    std::lock_guard lock(mutex_);
    if (!pool_ || buffer_size_ != size) {
        av_buffer_pool_uninit(&pool_);
        pool_ = av_buffer_pool_init2(size, nullptr, map_pictures, nullptr);
        buffer_size_ = size;
        if (!pool_) return nullptr;
    }
    return av_buffer_pool_get(pool_);
}

int PicturePool::get_buffer(AVCodecContext* codec, AVFrame* frame, int flags) {
    auto* self = static_cast<PicturePool*>(codec->opaque);
    Layout layout;
    if (!poolable(*codec, *frame) || !picture_layout(*codec, *frame, layout)) {
        return avcodec_default_get_buffer2(codec, frame, flags);
    }
    frame->buf[0] = self->buffer_of_size(layout.size);
    if (!frame->buf[0]) return AVERROR(ENOMEM);
    for (int i = 0; i < 4; ++i) {
        frame->linesize[i] = layout.linesize[i];
        frame->data[i] = layout.linesize[i] > 0 ? frame->buf[0]->data + layout.offset[i] : nullptr;
    }
    frame->extended_data = frame->data;
    return 0;
}

}  // namespace kompo::media
