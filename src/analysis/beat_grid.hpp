#pragma once
// A steady beat grid (tempo, phase, bars) fitted to an onset envelope. Pure arithmetic.
#include <vector>

#include "analysis/onset_envelope.hpp"

namespace kompo::analysis {

struct TempoOptions {
    // The tempo range the answer must fall in (a komposition's plausible range): an
    // estimate outside it is taken at the half or double tempo that falls inside.
    double min_bpm = 60;
    double max_bpm = 200;
    // Below this confidence the grid is not offered as the komposition's tempo.
    double min_confidence = 0.3;
};

struct BeatGrid {
    double bpm = 0;             // best estimate, whether confident or not
    double confidence = 0;      // 0..1: how much of the sound's onsets the grid explains
    bool confident = false;     // confidence >= TempoOptions::min_confidence
    double music_start = 0;     // seconds: where the sound starts (after a silent lead-in)
    double first_beat = 0;      // seconds: the first beat of the grid in the music
    double first_downbeat = 0;  // seconds: the first beat that starts a bar of 4
    std::vector<double> beats;  // seconds, from first_beat to the end of the music
};

// Throws Error(invalid_input) when the options' range is empty or not positive.
BeatGrid fit_beat_grid(const OnsetEnvelope& envelope, const TempoOptions& options);

}  // namespace kompo::analysis
