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

// Encodes the same picture for every frame: black gaps and stills.
FrameCount encode_held_picture(const plan::SegmentPiece& piece, AVFrame& picture,
                               const std::string& out_path, const ExecContext& ctx) {
    const PieceProgress progress(ctx, piece.where);
    VideoEncoder encoder(out_path, piece.format, ctx.threads);
    FrameCount done;
    while (done < piece.frame_count) {
        progress.check_cancelled();
        encoder.write(picture, done.value());
        progress.report(++done, piece.frame_count);
        if (stops_early(ctx, done, piece.frame_count)) break;
    }
    encoder.finish();
    return done;
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

// Decoding and fitting (the feed's thread) overlap with encoding (this one). The encoder
// opens while the feed opens the source; a failure removes the file it began.
FrameCount render_footage(const plan::SegmentPiece& piece, const std::string& out_path,
                          const ExecContext& ctx) {
    const PieceProgress progress(ctx, piece.where);
    PictureFeed feed(piece, ctx.threads);
    try {
        VideoEncoder encoder(out_path, piece.format, ctx.threads);
        FrameCount done;
        while (done < piece.frame_count) {
            progress.check_cancelled();
            encoder.write(feed.next(), done.value());
            progress.report(++done, piece.frame_count);
            if (stops_early(ctx, done, piece.frame_count)) break;
        }
        encoder.finish();
        return done;
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
