#pragma once
// Helpers for the video tests (probe, segments, join): generating test pictures with the
// ffmpeg program, describing segment pieces, and reading packet timing back with ffprobe.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "plan/piece.hpp"

namespace kompo::test {

namespace fs = std::filesystem;

// A clip from a lavfi source description (e.g. "testsrc=s=320x180:r=30:d=2"), encoded
// with libx264 ultrafast, keyframe every 15 frames; `extra` goes before the output name.
void make_lavfi_clip(const fs::path& out, const std::string& lavfi,
                     const std::vector<std::string>& extra = {});

// A clip whose top half is `top` and bottom half `bottom` (colour names).
void make_two_colour_clip(const fs::path& out, const std::string& top, const std::string& bottom,
                          int width, int height, double seconds = 1.0);

// A copy of `in` whose video carries the `rotate` tag; ffmpeg 5.1 writes it as a display
// matrix (tag 270 is the clockwise quarter turn phones record).
void add_rotate_tag(const fs::path& in, const fs::path& out, int degrees);

// Output settings for tests: small and fast to encode.
plan::OutputFormat small_format(int width = 320, int height = 180, FrameRate rate = {30, 1});
// The same, for webm: VP9 at crf 32.
plan::OutputFormat small_vp9_format();

// A piece showing `source` from `start` seconds for `frames` frames (speed 1, no end).
plan::SegmentPiece footage_piece(const fs::path& source, double start, std::int64_t frames,
                                 const plan::OutputFormat& format = small_format());
plan::SegmentPiece still_piece(const fs::path& source, std::int64_t frames,
                               const plan::OutputFormat& format = small_format());
plan::SegmentPiece black_piece(std::int64_t frames,
                               const plan::OutputFormat& format = small_format());

struct PacketTiming {
    std::int64_t pts = 0;
    std::int64_t dts = 0;
    bool key = false;
};
// The video packets of `media` in file order, timestamps in the stream's time base.
std::vector<PacketTiming> video_packets(const fs::path& media);

}  // namespace kompo::test
