// render_segment: one piece of the output picture, decoded, fitted and encoded.
#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "media/decode.hpp"
#include "media/encode.hpp"
#include "media/execute.hpp"
#include "media/picture.hpp"
#include "media/picture_feed.hpp"
#include "media/segment_copy.hpp"
#include "media/segment_progress.hpp"
#include "media/segment_window.hpp"

namespace kompo::media {

namespace {

PictureFilter picture_filter_for(const plan::SegmentPiece& piece, int threads) {
    return PictureFilter(piece.format.width, piece.format.height, piece.fit, piece.rotation,
                         threads);
}

bool stops_early(const ExecContext& ctx, FrameCount done, FrameCount total) {
    return done < total && ctx.checkpoint_due && ctx.checkpoint_due();
}

int encoder_threads(const ExecContext& ctx) {
    return ctx.encoder_threads > 0 ? ctx.encoder_threads : ctx.threads;
}

// Encodes the pictures `source` gives, one per output frame.
template <class Pictures>
FrameCount encode_pictures(const plan::SegmentPiece& piece, Pictures& source,
                           const std::string& out_path, const ExecContext& ctx) {
    const PieceProgress progress(ctx, piece.where);
    VideoEncoder encoder(out_path, piece.format, encoder_threads(ctx));
    FrameCount done;
    while (done < piece.frame_count) {
        progress.check_cancelled();
        encoder.write(source.next(), done.value());
        progress.report(++done, piece.frame_count);
        if (stops_early(ctx, done, piece.frame_count)) break;
    }
    encoder.finish();
    return done;
}

// The same picture for every frame: black gaps and stills.
struct HeldPicture {
    AVFrame& picture;
    AVFrame& next() { return picture; }
};

FrameCount encode_held_picture(const plan::SegmentPiece& piece, AVFrame& picture,
                               const std::string& out_path, const ExecContext& ctx) {
    HeldPicture held{picture};
    return encode_pictures(piece, held, out_path, ctx);
}

FrameCount render_black(const plan::SegmentPiece& piece, const std::string& out_path,
                        const ExecContext& ctx) {
    FramePtr black = make_black_frame(piece.format.width, piece.format.height);
    return encode_held_picture(piece, *black, out_path, ctx);
}

// A still is decoded and fitted once, then repeated.
FrameCount render_still(const plan::SegmentPiece& piece, const std::string& out_path,
                        const ExecContext& ctx) {
    VideoDecoder decoder(piece.source_path, 1);
    FramePtr still = decoder.next();
    if (!still) throw Error::media(no_picture_message(piece, Seconds(0), Seconds(0)));
    PictureFilter filter = picture_filter_for(piece, ctx.threads);
    FramePtr picture = filter.apply(std::move(still));
    return encode_held_picture(piece, *picture, out_path, ctx);
}

// The output pictures decoded and fitted on the encoder's thread, one after the other.
// Each source frame that is shown is fitted once; a repeated frame reuses its picture.
class InlinePictures {
  public:
    InlinePictures(const plan::SegmentPiece& piece, int threads)
        : decoder_(piece.source_path, threads),
          window_(decoder_, piece),
          filter_(picture_filter_for(piece, threads)) {}

    AVFrame& next() {
        if (FramePtr shown = window_.advance_to(index_++))
            current_ = filter_.apply(std::move(shown));
        if (!current_) throw Error::internal("segment: a repeat before any picture");
        return *current_;
    }

  private:
    VideoDecoder decoder_;
    SourceWindow window_;
    PictureFilter filter_;
    std::int64_t index_ = 0;
    FramePtr current_;
};

// With a core to spare, decoding and fitting (the feed's thread) overlap with encoding
// (this one), and the encoder opens while the feed opens the source. Same bytes either way.
// A failure (of the source or the encoder) removes the file the encoder began.
FrameCount render_footage(const plan::SegmentPiece& piece, const std::string& out_path,
                          const ExecContext& ctx) {
    try {
        if (ctx.decode_beside) {
            PictureFeed feed(piece, ctx.threads);
            return encode_pictures(piece, feed, out_path, ctx);
        }
        InlinePictures pictures(piece, ctx.threads);
        return encode_pictures(piece, pictures, out_path, ctx);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(out_path, ec);
        throw;
    }
}

}  // namespace

FrameCount render_segment(const plan::SegmentPiece& piece, const std::string& out_path,
                          const ExecContext& ctx) {
    if (piece.frame_count <= FrameCount(0)) {
        throw Error::internal(piece.where + ": a segment piece needs at least one frame");
    }
    if (piece.stream_copy) {
        copy_segment(piece, out_path, ctx);
        return piece.frame_count;
    }
    switch (piece.kind) {
        case plan::PictureKind::black:
            return render_black(piece, out_path, ctx);
        case plan::PictureKind::image:
            return render_still(piece, out_path, ctx);
        case plan::PictureKind::video:
            break;
    }
    return render_footage(piece, out_path, ctx);
}

}  // namespace kompo::media
