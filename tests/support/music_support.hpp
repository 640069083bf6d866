#pragma once
// Generated music and footage with known answers, for the analysis tests: drums over a
// pad at an exact tempo, and clips cut together from distinct lavfi sources at known frames.
#include <filesystem>
#include <vector>

namespace kompo::test {

namespace fs = std::filesystem;

// Drums over a pad at exactly `bpm`: a kick on beats 1 and 3 (louder on 1, the downbeat),
// a snare on 2 and 4, a hi-hat on every eighth, and a three-note pad underneath, all
// starting after `lead_in` seconds of digital silence; `seconds` long in all, mono FLAC
// (other extensions: what ffmpeg picks for them). Beat k falls at lead_in + k * 60 / bpm.
void make_drum_track(const fs::path& out, double bpm, double lead_in, double seconds,
                     int sample_rate = 22050);

// The pad alone (no beat to find) for `seconds`.
void make_pad_track(const fs::path& out, double seconds);

// A clip of `rate` frames per second made of shots from different lavfi sources, one after
// another; shot i lasts shot_frames[i] frames, so shot i + 1 starts at their running sum.
// Each shot moves (scrolling test patterns); `black_frames` of black are added at the end.
// Shot i shows look (first_look + i) of six, so clips with other first looks differ.
void make_cut_clip(const fs::path& out, const std::vector<int>& shot_frames, int rate, int width,
                   int height, int black_frames = 0, int first_look = 0);

}  // namespace kompo::test

namespace kompo::test {

// Frame numbers (from 0) where ffmpeg's own scdet filter sees a new shot begin in `media`:
// an independent check of rendered cuts.
std::vector<long long> scene_change_frames(const fs::path& media, double threshold = 10);

}  // namespace kompo::test
