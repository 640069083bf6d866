// render_sound: the soundtrack trimmed to the render range, encoded to exactly the
// render's length. Output sample n plays source time `source_start + n / rate`; before the
// source's start and past its end, silence.
#include <algorithm>
#include <cmath>
#include <optional>

#include "core/error.hpp"
#include "media/audio_encoder.hpp"
#include "media/audio_source.hpp"
#include "media/execute.hpp"

extern "C" {
#include <libavutil/mathematics.h>
}

namespace kompo::media {
namespace {

void throw_if_cancelled(const ExecContext& ctx) {
    if (ctx.cancelled && ctx.cancelled->load()) throw Error::cancelled("soundtrack: cancelled");
}

// The render's length in samples, round(total_frames / fps * rate), in integers: exact for
// 24000/1001 fps too, where the length in seconds has no exact double.
std::int64_t length_in_samples(const plan::SoundPiece& piece) {
    const FrameRate fps = piece.format.frame_rate;
    return av_rescale_rnd(piece.total_frames.value(),
                          static_cast<std::int64_t>(fps.den) * piece.format.audio_sample_rate,
                          fps.num, AV_ROUND_NEAR_INF);
}

// Lays chunks of sound onto the output track: fills what comes before a chunk with
// silence, drops what comes before the track's start or after its end, and reports
// progress in video frames.
class TrackWriter {
  public:
    TrackWriter(AudioFileEncoder& encoder, const plan::SoundPiece& piece, const ExecContext& ctx)
        : encoder_(encoder), total_(length_in_samples(piece)), piece_(piece), ctx_(ctx) {}

    bool full() const { return written_ >= total_; }

    // Places `chunk`, whose first sample belongs at output sample `at`.
    void place(const AVFrame& chunk, std::int64_t at) {
        if (at > written_) write_silence(at - written_);
        const std::int64_t skip = std::clamp<std::int64_t>(written_ - at, 0, chunk.nb_samples);
        const std::int64_t take =
            std::min<std::int64_t>(chunk.nb_samples - skip, total_ - written_);
        if (take <= 0) return;
        encoder_.append(chunk, static_cast<int>(skip), static_cast<int>(take));
        advance(take);
    }

    // Silence up to the end (past the source's end, or the whole track without a source).
    void fill_to_end() {
        write_silence(total_ - written_);
        // Rounding may leave the last frame unreported; the whole piece is done now.
        if (ctx_.on_progress && reported_ != piece_.total_frames.value()) {
            ctx_.on_progress(piece_.total_frames.value());
        }
    }

  private:
    void write_silence(std::int64_t count) {
        count = std::min(count, total_ - written_);
        // In slices, so that a long silent track still reports progress and can be cancelled.
        const std::int64_t slice = piece_.format.audio_sample_rate;
        while (count > 0) {
            throw_if_cancelled(ctx_);
            const std::int64_t n = std::min(count, slice);
            encoder_.append_silence(n);
            advance(n);
            count -= n;
        }
    }

    void advance(std::int64_t samples) {
        written_ += samples;
        if (!ctx_.on_progress) return;
        const FrameRate fps = piece_.format.frame_rate;
        const std::int64_t frames = av_rescale_rnd(
            written_, fps.num, static_cast<std::int64_t>(fps.den) * piece_.format.audio_sample_rate,
            AV_ROUND_DOWN);
        if (frames != reported_) ctx_.on_progress(frames);
        reported_ = frames;
    }

    AudioFileEncoder& encoder_;
    const std::int64_t total_;
    const plan::SoundPiece& piece_;
    const ExecContext& ctx_;
    std::int64_t written_ = 0;
    std::int64_t reported_ = 0;
};

void lay_source(const plan::SoundPiece& piece, AudioSource& source, TrackWriter& track,
                const SampleSpec& spec, const ExecContext& ctx) {
    source.seek_before(piece.source_start);
    // Output sample 0 is source sample `first`; a negative start lays the sound later.
    const std::int64_t first = std::llround(piece.source_start.value() * spec.sample_rate);
    while (!track.full()) {
        throw_if_cancelled(ctx);
        FramePtr chunk = source.next_chunk();
        if (!chunk) break;
        track.place(*chunk, chunk->pts - first);
    }
}

}  // namespace

std::string intermediate_audio_extension(const plan::OutputFormat& format) {
    return audio_codec_choice(format.audio_codec).extension;
}

void render_sound(const plan::SoundPiece& piece, const std::string& out_path,
                  const ExecContext& ctx) {
    throw_if_cancelled(ctx);
    const SampleSpec spec = AudioFileEncoder::spec_for(piece.format);
    // The source opens first: a missing or undecodable song fails before any file is made.
    std::optional<AudioSource> source;
    if (piece.source_path) source.emplace(*piece.source_path, piece.where, spec);
    AudioFileEncoder encoder(out_path, piece.format);
    TrackWriter track(encoder, piece, ctx);
    if (source) lay_source(piece, *source, track, spec, ctx);
    track.fill_to_end();
    encoder.finish();
}

}  // namespace kompo::media
