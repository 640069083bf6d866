#pragma once
// Helpers for the sound and mux tests: finding clicks in decoded audio, reading an MP4's
// top-level boxes, and making small video inputs with the ffmpeg program.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace kompo::test {

namespace fs = std::filesystem;

// Sample indices where a click starts: the first sample above `threshold` (absolute) after
// at least `quiet` samples at or below it (the very first sample counts as after quiet).
std::vector<std::int64_t> click_onsets(const std::vector<float>& samples, float threshold = 0.3f,
                                       std::int64_t quiet = 4800);

// The largest absolute sample in [from, to) (clamped to the samples).
float peak(const std::vector<float>& samples, std::int64_t from, std::int64_t to);

// Types of the top-level boxes of an MP4/MOV file, in file order ("ftyp", "moov", "mdat"...).
std::vector<std::string> top_level_boxes(const fs::path& file);

// A video of `frames` frames of one colour at `rate` ("30", "24000/1001"), encoded with
// `codec` ("libx264" or "libvpx-vp9"), without audio; the container follows the extension.
void make_video(const fs::path& out, const std::string& rate, int frames,
                const std::string& codec = "libx264");

}  // namespace kompo::test
