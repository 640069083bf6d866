// mux: the joined picture and the soundtrack, both stream-copied into the final container.
// Nothing is re-encoded; the video's timestamps are turned back into exact frame numbers,
// and the soundtrack's priming travels in the container's own way (MP4 edit list,
// Matroska CodecDelay) so that the sound starts exactly at t = 0 (see audio_shift).
#include <algorithm>
#include <climits>
#include <numeric>

#include "core/error.hpp"
#include "media/decode_input.hpp"
#include "media/execute.hpp"
#include "media/handles.hpp"
#include "media/output_file.hpp"

extern "C" {
#include <libavformat/version.h>
#include <libavutil/mathematics.h>
}

namespace kompo::media {
namespace {

void throw_if_cancelled(const ExecContext& ctx) {
    if (ctx.cancelled && ctx.cancelled->load()) throw Error::cancelled("mux: cancelled");
}

struct Container {
    const char* muxer;
    bool faststart;  // MP4/MOV: index (moov) before the media, so playback starts at once
    bool matroska;   // declares the priming as the track's CodecDelay (see audio_shift)
};

Container container_for(const std::string& name) {
    if (name == "mp4") return {"mp4", true, false};
    if (name == "mov") return {"mov", true, false};
    if (name == "mkv") return {"matroska", false, true};
    if (name == "webm") return {"webm", false, true};
    throw Error::invalid("config.extension: unsupported container \"" + name +
                         "\" (mp4, webm, mov, mkv)");
}

// One stream-copied input: its packets, read one ahead so the two inputs can be
// interleaved by time.
struct CopyInput {
    std::string label;  // "joined video /tmp/x.mp4", for messages
    InputFormatPtr format;
    AVStream* in = nullptr;
    AVStream* out = nullptr;
    PacketPtr next = make_packet();
    bool has_next = false;
};

Error input_error(const CopyInput& input, const std::string& what) {
    return Error::internal("mux: " + input.label + ": " + what);
}

CopyInput open_copy_input(const std::string& path, AVMediaType type, const std::string& what) {
    CopyInput input;
    input.label = what + " " + path;
    try {
        input.format = open_input(path);
    } catch (const Error& e) {
        // Our own intermediate files: if they cannot be read, that is our bug.
        throw Error::internal("mux: " + what + ": " + e.what());
    }
    AVFormatContext* raw = input.format.get();
    const int index = av_find_best_stream(raw, type, -1, -1, nullptr, 0);
    if (index < 0) {
        throw input_error(input,
                          std::string("has no ") + av_get_media_type_string(type) + " stream");
    }
    input.in = raw->streams[index];
    return input;
}

// The copy of `input`'s stream in the output. The video keeps an exact time base (one
// tick per frame; MP4 turns 1/30 into 1/15360 and 1001/30000 into 1/30000, both exact)
// and declares its constant rate, which Matroska writes as DefaultDuration.
void add_output_stream(AVFormatContext* output, CopyInput& input, const plan::MuxPiece& piece) {
    const AVCodecParameters* par = input.in->codecpar;
    if (avformat_query_codec(output->oformat, par->codec_id, FF_COMPLIANCE_NORMAL) == 0) {
        throw Error::invalid("mux: a " + piece.format.container + " file cannot hold " +
                             avcodec_get_name(par->codec_id) + " " +
                             av_get_media_type_string(par->codec_type));
    }
    input.out = avformat_new_stream(output, nullptr);
    if (!input.out) throw std::bad_alloc();
    if (int rc = avcodec_parameters_copy(input.out->codecpar, par); rc < 0) {
        throw Error::internal("mux: stream parameters: " + av_error_text(rc));
    }
    input.out->codecpar->codec_tag = 0;  // the input container's tag may mean nothing here
    if (par->codec_type == AVMEDIA_TYPE_VIDEO) {
        const FrameRate fps = piece.format.frame_rate;
        input.out->time_base = AVRational{fps.den, fps.num};
        input.out->avg_frame_rate = AVRational{fps.num, fps.den};
        input.out->r_frame_rate = input.out->avg_frame_rate;
        input.out->sample_aspect_ratio = par->sample_aspect_ratio;
    } else {
        input.out->time_base = AVRational{1, par->sample_rate};
    }
}

// The joined video's timestamps (in whatever time base its container chose, e.g. 1/1000
// in Matroska) rounded to frame numbers: the video has constant rate, so these are exact.
class VideoRetimer {
  public:
    VideoRetimer(const AVStream& in, FrameRate fps)
        : in_tb_(in.time_base),
          frame_tb_{fps.den, fps.num},
          origin_(in.start_time == AV_NOPTS_VALUE ? 0 : in.start_time),
          // Decode times run `video_delay` frames behind presentation times (B-frames).
          last_dts_frame_(-static_cast<std::int64_t>(in.codecpar->video_delay) - 1) {}

    // When `pkt` must be decoded, counted from the video's start in `tb` (for interleaving).
    std::int64_t due(const AVPacket& pkt, AVRational tb) const {
        const std::int64_t ts = pkt.dts != AV_NOPTS_VALUE ? pkt.dts : pkt.pts;
        return av_rescale_q(ts - origin_, in_tb_, tb);
    }

    void apply(AVPacket& pkt, AVRational out_tb) {
        const std::int64_t pts_frame = frame_of(pkt.pts);
        // Some containers (Matroska) leave the first decode times unknown: the frames are
        // in decode order at a constant rate, so each decodes one frame after the last.
        const std::int64_t dts_frame = pkt.dts != AV_NOPTS_VALUE
                                           ? frame_of(pkt.dts)
                                           : std::min(pts_frame, last_dts_frame_ + 1);
        last_dts_frame_ = dts_frame;
        pkt.pts = av_rescale_q(pts_frame, frame_tb_, out_tb);
        pkt.dts = av_rescale_q(dts_frame, frame_tb_, out_tb);
        pkt.duration = av_rescale_q(1, frame_tb_, out_tb);
    }

  private:
    std::int64_t frame_of(std::int64_t ts) const {
        return av_rescale_q_rnd(ts - origin_, in_tb_, frame_tb_, AV_ROUND_NEAR_INF);
    }

    AVRational in_tb_;
    AVRational frame_tb_;
    std::int64_t origin_;
    std::int64_t last_dts_frame_;
};

// Reads `input`'s next packet of its stream into `input.next` (input time base).
void read_next(CopyInput& input) {
    input.has_next = false;
    for (;;) {
        int rc = av_read_frame(input.format.get(), input.next.get());
        if (rc == AVERROR_EOF) return;
        if (rc < 0) throw input_error(input, "cannot read (" + av_error_text(rc) + ")");
        if (input.next->stream_index == input.in->index) break;
        av_packet_unref(input.next.get());
    }
    input.has_next = true;
}

// The encoder's priming, in the soundtrack's time base: its first packet's timestamp is
// negative by that much (both intermediates, MP4 and WebM, present it so).
std::int64_t priming_of(const CopyInput& audio) {
    if (!audio.has_next || audio.next->pts == AV_NOPTS_VALUE) return 0;
    return std::max<std::int64_t>(0, -audio.next->pts);
}

// How the soundtrack's priming reaches the final file, so that its sound starts at t = 0.
// MP4/MOV: the first packets keep their negative timestamps; the muxer writes an edit list.
// Matroska: the track declares the priming as CodecDelay. FFmpeg after 5.1 then offsets the
// blocks itself. FFmpeg 5.1 (libavformat 59.27) writes CodecDelay for Opus only, does not
// offset, and would shift every stream (the picture too) to make the timestamps
// non-negative: for Opus the packets are moved to start at 0 here; for AAC there is no
// way to declare the priming, so that shift happens and the picture starts 1024 samples
// (21 ms) late, exactly in step with the sound that follows the priming.
// Returns what to add to the soundtrack's timestamps (its time base).
std::int64_t audio_shift(const Container& container, CopyInput& audio) {
    const std::int64_t priming = priming_of(audio);
    if (!container.matroska || priming == 0) return 0;
    AVCodecParameters* par = audio.out->codecpar;
    par->initial_padding = static_cast<int>(
        av_rescale_q(priming, audio.in->time_base, AVRational{1, par->sample_rate}));
#if LIBAVFORMAT_VERSION_INT > AV_VERSION_INT(59, 30, 100)
    return 0;
#else
    return par->codec_id == AV_CODEC_ID_OPUS ? priming : 0;
#endif
}

// Whether the video's next packet is due before the sound's (by decode time), so the
// output interleaves without the muxer buffering one whole stream. Both start at 0.
bool video_due_first(const CopyInput& video, const VideoRetimer& retimer, const CopyInput& audio) {
    if (!video.has_next) return false;
    if (!audio.has_next) return true;
    const std::int64_t audio_due =
        audio.next->dts != AV_NOPTS_VALUE ? audio.next->dts : audio.next->pts;
    return retimer.due(*video.next, audio.in->time_base) <= audio_due;
}

void shift(AVPacket& pkt, std::int64_t by) {
    if (pkt.pts != AV_NOPTS_VALUE) pkt.pts += by;
    if (pkt.dts != AV_NOPTS_VALUE) pkt.dts += by;
}

// Hands `input`'s next packet (already in output time) to the muxer and reads the one after.
void write_next(AVFormatContext* output, CopyInput& input, const std::string& out_path) {
    input.next->stream_index = input.out->index;
    input.next->pos = -1;
    if (int rc = av_interleaved_write_frame(output, input.next.get()); rc < 0) {
        throw Error::io("mux: " + out_path + ": cannot write (" + av_error_text(rc) + ")");
    }
    read_next(input);
}

// MP4/MOV edit lists count in the movie timescale (1/1000 s by default), which would round
// the sound's and the picture's durations to milliseconds. A timescale that both the
// sample rate and the frame rate divide keeps them exact (48000 for 30 or 24000/1001 fps,
// 240000 for 30000/1001).
std::string movie_timescale(const plan::MuxPiece& piece, int sample_rate) {
    const std::int64_t scale = std::lcm<std::int64_t>(sample_rate, piece.format.frame_rate.num);
    return std::to_string(scale <= INT_MAX ? scale : 1000);
}

void write_header(AVFormatContext* output, const Container& container,
                  const std::string& movie_timescale, const std::string& out_path) {
    Dictionary options;
    if (container.faststart) {
        options.set("movflags", "+faststart");
        options.set("movie_timescale", movie_timescale.c_str());
    }
    start_output_file(*output, out_path, options.address());
}

}  // namespace

void mux(const plan::MuxPiece& piece, const std::string& video_path, const std::string& audio_path,
         const std::string& out_path, const ExecContext& ctx) {
    throw_if_cancelled(ctx);
    const Container container = container_for(piece.format.container);
    CopyInput video = open_copy_input(video_path, AVMEDIA_TYPE_VIDEO, "joined video");
    CopyInput audio = open_copy_input(audio_path, AVMEDIA_TYPE_AUDIO, "soundtrack");

    OutputFormatPtr output = create_output(container.muxer, out_path);
    add_output_stream(output.get(), video, piece);
    add_output_stream(output.get(), audio, piece);
    read_next(video);
    read_next(audio);
    const std::int64_t audio_offset = audio_shift(container, audio);
    // Fixes the output time bases.
    write_header(output.get(), container, movie_timescale(piece, audio.in->codecpar->sample_rate),
                 out_path);

    VideoRetimer retimer(*video.in, piece.format.frame_rate);
    std::int64_t frames_done = 0;
    while (video.has_next || audio.has_next) {
        throw_if_cancelled(ctx);
        if (video_due_first(video, retimer, audio)) {
            retimer.apply(*video.next, video.out->time_base);
            write_next(output.get(), video, out_path);
            if (ctx.on_progress) ctx.on_progress(++frames_done);
        } else {
            shift(*audio.next, audio_offset);
            av_packet_rescale_ts(audio.next.get(), audio.in->time_base, audio.out->time_base);
            write_next(output.get(), audio, out_path);
        }
    }
    if (int rc = av_write_trailer(output.get()); rc < 0) {
        throw Error::io("mux: " + out_path + ": cannot complete the file (" + av_error_text(rc) +
                        ")");
    }
}

}  // namespace kompo::media
