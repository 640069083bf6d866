#pragma once
// Test helpers: scratch folders, running commands, generating media with the ffmpeg
// program (lavfi sources) and reading renders back with ffprobe/ffmpeg, so that checks
// do not depend on our own decoding code.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kompo::test {

namespace fs = std::filesystem;

// A fresh, empty folder for the running test: <build>/test-output/<suite>.<test>.
// Also points KOMPO_DATA_DIR (the store and artifact cache of every `kompo` it runs) at
// a fresh <suite>.<test>.data beside it.
fs::path scratch_dir();

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};
// Runs argv (no shell) and waits; stdout/stderr captured.
CommandResult run(const std::vector<std::string>& argv);
// Runs the `kompo` binary under test.
CommandResult kompo(const std::vector<std::string>& args);
// Runs the ffmpeg program quietly with the given arguments; fails the test on error.
void ffmpeg(const std::vector<std::string>& args);

// Media generators (lavfi). Sizes and rates as given; `seconds` long.
// A clip of one solid colour (e.g. "red", "0x00FF00").
void make_colour_clip(const fs::path& out, const std::string& colour, double seconds, int width,
                      int height, const std::string& rate = "30");
// A clip whose every frame shows its number (first_number + its index) as a binary
// pattern of 16 black/white bars (readable after scaling; see `read_frame_numbers`), so
// every frame, and every encoded packet, differs from the others.
void make_numbered_clip(const fs::path& out, double seconds, int width, int height,
                        const std::string& rate = "30", int first_number = 0);
// A still image of one colour.
void make_colour_image(const fs::path& out, const std::string& colour, int width, int height);
// A click track: a short 1 kHz click every beat at `bpm`, first click at 0, 48 kHz.
void make_click_track(const fs::path& out, double bpm, double seconds);

nlohmann::json ffprobe(const fs::path& media);  // -show_streams -show_format
std::string file_bytes(const fs::path& file);   // all of it, as stored
std::int64_t count_video_frames(const fs::path& media);

using Rgb = std::array<int, 3>;
// Mean colour of each decoded frame (decoded by the ffmpeg program).
std::vector<Rgb> frame_colours(const fs::path& media);
// Mean colour of a region of each frame: x, y, w, h as fractions of the frame.
std::vector<Rgb> region_colours(const fs::path& media, double x, double y, double w, double h);
// Frame numbers written by make_numbered_clip, read back from each output frame (-1 where
// the pattern is not readable, e.g. on black).
std::vector<int> read_frame_numbers(const fs::path& media);
// Decoded audio as mono float samples at 48 kHz (decoded by the ffmpeg program).
std::vector<float> audio_samples(const fs::path& media);

bool near_colour(const Rgb& a, const Rgb& b, int tolerance = 40);
Rgb colour(const std::string& name);  // "red", "green", "blue", "black", "white", "yellow"...

}  // namespace kompo::test
