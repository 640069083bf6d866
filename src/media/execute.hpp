#pragma once
// Executes render pieces. Each function writes its output to `out_path` (a path the
// caller owns and later renames; on failure it may be left half-written and the caller
// removes it). Throws kompo::Error naming the piece or file.
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plan/piece.hpp"

namespace kompo::media {

struct ExecContext {
    int threads = 1;  // codec threads this piece may use
    // A segment's encoder threads; 0: `threads`. A segment that its render encodes alone
    // takes every core (its bytes depend on this count, its frames do not).
    int encoder_threads = 0;
    // A segment decodes and fits its source on a thread of its own beside the encoder: only
    // worth it with a core to spare (with every core encoding, it cost 8 % of a cold render).
    bool decode_beside = true;
    // Called with frames (or for sound, video-frame equivalents) done so far.
    std::function<void(std::int64_t done)> on_progress;
    // Set by another thread to stop promptly; the function then throws Error(cancelled).
    const std::atomic<bool>* cancelled = nullptr;
    // Asked after each encoded frame of a segment: true stops it there, with a complete
    // file of the frames so far (a checkpoint; the rest is rendered as another piece).
    std::function<bool()> checkpoint_due;
};

// Intermediate container for segment and join outputs: keeps exact timestamps.
std::string intermediate_video_extension(const plan::OutputFormat& format);
std::string intermediate_audio_extension(const plan::OutputFormat& format);

// Returns the frames written: piece.frame_count, or fewer when ctx.checkpoint_due stopped
// it early (never zero; stream copies always run to the end).
FrameCount render_segment(const plan::SegmentPiece& piece, const std::string& out_path,
                          const ExecContext& ctx);

void join_segments(const plan::JoinPiece& piece, const std::vector<std::string>& segment_paths,
                   const std::string& out_path, const ExecContext& ctx);

void render_sound(const plan::SoundPiece& piece, const std::string& out_path,
                  const ExecContext& ctx);

void mux(const plan::MuxPiece& piece, const std::string& video_path, const std::string& audio_path,
         const std::string& out_path, const ExecContext& ctx);

}  // namespace kompo::media
