// join_segments: the segments' packets one after another in one file, not re-encoded.
#include <algorithm>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "media/decode_input.hpp"
#include "media/encode_output.hpp"
#include "media/execute.hpp"
#include "media/segment_progress.hpp"

namespace kompo::media {

namespace {

// What must be equal for packets of one file to follow those of another in one stream;
// empty when they can.
std::string parameter_difference(const AVCodecParameters& a, const AVCodecParameters& b) {
    if (a.codec_id != b.codec_id) {
        return std::string("codec ") + avcodec_get_name(b.codec_id) + " instead of " +
               avcodec_get_name(a.codec_id);
    }
    if (a.width != b.width || a.height != b.height) {
        return "size " + std::to_string(b.width) + "x" + std::to_string(b.height) + " instead of " +
               std::to_string(a.width) + "x" + std::to_string(a.height);
    }
    const bool same_headers =
        a.extradata_size == b.extradata_size &&
        (a.extradata_size == 0 || std::memcmp(a.extradata, b.extradata, a.extradata_size) == 0);
    if (!same_headers) return "stream headers (extradata)";
    return {};
}

// Packets of the joined stream, numbered in frames. Decode times are not taken from the
// segments: a segment's encoder delays decoding by as many frames as it reorders, and a
// one-frame segment not at all, so shifted segment dts can collide. Instead the j-th
// packet decodes at j - reorder_delay, which increases strictly and, because every frame
// 0..N-1 is present and no frame is reordered by more than the stream declares (its SPS),
// never comes after the packet's pts.
class JoinedStream {
  public:
    JoinedStream(IntermediateOutput& output, const PieceProgress& progress, FrameCount total,
                 int reorder_delay)
        : output_(output), progress_(progress), total_(total), reorder_delay_(reorder_delay) {}

    // Appends all video packets of `input` after the frames written so far.
    void append(AVFormatContext& input, const AVStream& stream, const std::string& path) {
        discard_other_streams(input, stream);
        const std::int64_t first_frame = frames_.value();
        const std::int64_t origin = stream.start_time == AV_NOPTS_VALUE ? 0 : stream.start_time;
        PacketPtr packet = make_packet();
        while (av_read_frame(&input, packet.get()) >= 0) {
            progress_.check_cancelled();
            if (packet->stream_index != stream.index) {
                av_packet_unref(packet.get());
                continue;
            }
            packet->pts =
                first_frame + av_rescale_q_rnd(packet->pts - origin, stream.time_base,
                                               output_.frame_time_base(), AV_ROUND_NEAR_INF);
            packet->dts = frames_.value() - reorder_delay_;
            if (packet->dts > packet->pts) {
                throw Error::internal(path + ": frame " + std::to_string(packet->pts) +
                                      " is reordered more than the stream declares (" +
                                      std::to_string(reorder_delay_) + " frames)");
            }
            packet->duration = 1;
            packet->pos = -1;
            output_.write(*packet);
            progress_.report(++frames_, total_);
        }
    }

    FrameCount frames() const { return frames_; }

  private:
    IntermediateOutput& output_;
    const PieceProgress& progress_;
    FrameCount total_;
    int reorder_delay_;
    FrameCount frames_;
};

AVStream& segment_stream(AVFormatContext& input, const std::string& path) {
    AVStream* stream = best_video_stream(input);
    if (!stream) throw Error::internal(path + ": segment has no video stream");
    return *stream;
}

}  // namespace

void join_segments(const plan::JoinPiece& piece, const std::vector<std::string>& segment_paths,
                   const std::string& out_path, const ExecContext& ctx) {
    if (segment_paths.empty()) throw Error::internal("join: no segments to join");
    const PieceProgress progress(ctx, "join");
    CodecParametersPtr reference;
    std::unique_ptr<IntermediateOutput> output;
    std::unique_ptr<JoinedStream> joined;
    for (const auto& path : segment_paths) {
        // The first segment is probed in full: its parameters describe the joined stream.
        // The others are ours, from the same encoder settings; their headers (extradata,
        // hence the SPS and its reorder delay) must equal the first one's, and the
        // container header holds those, so nothing of them is decoded just to open them.
        InputFormatPtr input = reference ? open_input_header(path) : open_input(path);
        AVStream& stream = segment_stream(*input, path);
        if (!reference) {
            reference.reset(avcodec_parameters_alloc());
            if (!reference || avcodec_parameters_copy(reference.get(), stream.codecpar) < 0)
                throw std::bad_alloc();
            output = std::make_unique<IntermediateOutput>(out_path, piece.format, *reference);
            joined = std::make_unique<JoinedStream>(*output, progress, piece.total_frames,
                                                    std::max(0, reference->video_delay));
        } else if (auto diff = parameter_difference(*reference, *stream.codecpar); !diff.empty()) {
            throw Error::internal(path + ": cannot be joined to " + segment_paths.front() +
                                  " without re-encoding: " + diff);
        }
        joined->append(*input, stream, path);
    }
    if (joined->frames() != piece.total_frames) {
        throw Error::internal(
            "join: the segments hold " + std::to_string(joined->frames().value()) +
            " frames, the render needs " + std::to_string(piece.total_frames.value()));
    }
    output->finish();
}

}  // namespace kompo::media
