#pragma once
// How strongly something starts in each short stretch of a sound (aubio's spectral flux),
// the raw material of tempo and beat estimation.
#include <vector>

namespace kompo::analysis {

struct OnsetEnvelope {
    double frames_per_second = 0;  // envelope frames per second of sound
    // Per frame: spectral flux over all frequencies, flux of the low band (kick drums:
    // where bars start), and loudness (RMS of the frame's samples).
    std::vector<double> flux;
    std::vector<double> low_flux;
    std::vector<double> loudness;
    double aubio_bpm = 0;  // aubio's own beat tracker's tempo, for comparison (0: none)
};

// Frame i of the envelope describes the samples up to (i + 1) * hop, hop = 128 samples.
OnsetEnvelope onset_envelope(const std::vector<float>& samples, int sample_rate);

}  // namespace kompo::analysis
