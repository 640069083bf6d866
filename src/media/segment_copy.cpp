#include "media/segment_copy.hpp"

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "media/decode_input.hpp"
#include "media/encode_output.hpp"
#include "media/segment_progress.hpp"

namespace kompo::media {

namespace {

std::string copy_failure(const plan::SegmentPiece& piece, const std::string& why) {
    return piece.where + ": cannot stream-copy " + piece.source_path + ": " + why;
}

// The window's packets, renumbered as output frames: frame i is at source_start + i / fps.
class WindowPackets {
  public:
    WindowPackets(const plan::SegmentPiece& piece, const AVFormatContext& input,
                  const AVStream& stream)
        : piece_(piece), stream_(stream), clock_(input, stream) {}

    const SourceClock& clock() const { return clock_; }

    enum class Verdict { take, skip, done };

    // Whether `packet` belongs to the window; when it does, its timestamps are rewritten.
    Verdict renumber(AVPacket& packet) {
        const bool key = (packet.flags & AV_PKT_FLAG_KEY) != 0;
        started_ = started_ || key;  // decoding can only begin at a keyframe
        if (packet.stream_index != stream_.index || !started_) return Verdict::skip;
        if (packet.pts == AV_NOPTS_VALUE) {
            throw Error::internal(copy_failure(piece_, "a packet has no timestamp"));
        }
        const std::int64_t frame = frame_of(packet.pts);
        if (key && frame >= piece_.frame_count.value())
            return Verdict::done;  // the next window's keyframe
        if (frame < 0 || frame >= piece_.frame_count.value()) return Verdict::skip;
        std::int64_t dts = packet.dts == AV_NOPTS_VALUE ? frame : frame_of(packet.dts);
        if (dts <= last_dts_) dts = last_dts_ + 1;  // rounding must not make decode times tie
        last_dts_ = dts;
        packet.pts = frame;
        packet.dts = dts;
        packet.duration = 1;
        packet.pos = -1;
        return Verdict::take;
    }

  private:
    std::int64_t frame_of(std::int64_t timestamp) const {
        const FrameRate rate = piece_.format.frame_rate;
        return std::llround((clock_.seconds(timestamp) - piece_.source_start).value() * rate.num /
                            rate.den);
    }

    const plan::SegmentPiece& piece_;
    const AVStream& stream_;
    SourceClock clock_;
    bool started_ = false;
    std::int64_t last_dts_ = std::numeric_limits<std::int64_t>::min();
};

}  // namespace

void copy_segment(const plan::SegmentPiece& piece, const std::string& out_path,
                  const ExecContext& ctx) {
    const PieceProgress progress(ctx, piece.where);
    InputFormatPtr input = open_input(piece.source_path);
    AVStream* stream = best_video_stream(*input);
    if (!stream) throw Error::media(copy_failure(piece, "it has no video stream"));
    discard_other_streams(*input, *stream);
    WindowPackets window(piece, *input, *stream);
    if (piece.source_start > Seconds(0)) {
        seek_to_keyframe_before(*input, *stream, window.clock(), piece.source_start);
    }

    IntermediateOutput output(out_path, piece.format, *stream->codecpar);
    PacketPtr packet = make_packet();
    FrameCount copied;
    while (av_read_frame(input.get(), packet.get()) >= 0) {
        progress.check_cancelled();
        const auto verdict = window.renumber(*packet);
        if (verdict == WindowPackets::Verdict::done) break;
        if (verdict == WindowPackets::Verdict::skip) {
            av_packet_unref(packet.get());
            continue;
        }
        output.write(*packet);
        progress.report(++copied, piece.frame_count);
    }
    if (copied != piece.frame_count) {
        throw Error::internal(copy_failure(
            piece, "the window holds " + std::to_string(copied.value()) + " frames, expected " +
                       std::to_string(piece.frame_count.value())));
    }
    output.finish();
}

}  // namespace kompo::media
