#include "media/segment_copy.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "media/decode_input.hpp"
#include "media/encode_output.hpp"
#include "media/segment_progress.hpp"

namespace kompo::media {

namespace {

// Renumbers a source's packets as output frames: frame i is at source_start + i / fps.
class FrameNumbering {
public:
    FrameNumbering(const SourceClock& clock, Seconds start, FrameRate rate)
        : clock_(clock), start_(start), rate_(rate) {}

    std::int64_t frame_of(std::int64_t timestamp) const {
        const double frames = (clock_.seconds(timestamp) - start_).value() * rate_.num / rate_.den;
        return std::llround(frames);
    }

private:
    const SourceClock& clock_;
    Seconds start_;
    FrameRate rate_;
};

std::string copy_failure(const plan::SegmentPiece& piece, const std::string& why) {
    return piece.where + ": cannot stream-copy " + piece.source_path + ": " + why;
}

}  // namespace

void copy_segment(const plan::SegmentPiece& piece, const std::string& out_path,
                  const ExecContext& ctx) {
    const PieceProgress progress(ctx, piece.where);
    InputFormatPtr input = open_input(piece.source_path);
    AVStream* stream = best_video_stream(*input);
    if (!stream) throw Error::media(copy_failure(piece, "it has no video stream"));
    discard_other_streams(*input, *stream);
    const SourceClock clock(*input, *stream);
    if (piece.source_start > Seconds(0)) seek_to_keyframe_before(*input, *stream, clock, piece.source_start);
    const FrameNumbering numbering(clock, piece.source_start, piece.format.frame_rate);

    IntermediateOutput output(out_path, piece.format, *stream->codecpar);
    PacketPtr packet = make_packet();
    std::int64_t copied = 0;
    std::int64_t last_dts = std::numeric_limits<std::int64_t>::min();
    bool started = false;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        progress.check_cancelled();
        const bool key = (packet->flags & AV_PKT_FLAG_KEY) != 0;
        started = started || key;  // decoding can only begin at a keyframe
        if (packet->stream_index != stream->index || !started) {
            av_packet_unref(packet.get());
            continue;
        }
        if (packet->pts == AV_NOPTS_VALUE) throw Error::internal(copy_failure(piece, "a packet has no timestamp"));
        const std::int64_t frame = numbering.frame_of(packet->pts);
        if (key && frame >= piece.frame_count) break;  // the keyframe after the window
        if (frame < 0 || frame >= piece.frame_count) {
            av_packet_unref(packet.get());
            continue;
        }
        std::int64_t dts = packet->dts == AV_NOPTS_VALUE ? frame : numbering.frame_of(packet->dts);
        if (dts <= last_dts) dts = last_dts + 1;  // rounding must not make decode order tie
        last_dts = dts;
        packet->pts = frame;
        packet->dts = dts;
        packet->duration = 1;
        packet->pos = -1;
        output.write(*packet);
        progress.report(++copied, piece.frame_count);
    }
    if (copied != piece.frame_count) {
        throw Error::internal(copy_failure(piece, "the window holds " + std::to_string(copied) +
                                                      " frames, expected " +
                                                      std::to_string(piece.frame_count)));
    }
    output.finish();
}

}  // namespace kompo::media
