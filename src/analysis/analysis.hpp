#pragma once
// What a medium offers a music video: for a song its tempo, beats and first downbeat; for
// a video its shot changes and a per-second brightness/motion profile.
#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/beat_grid.hpp"
#include "core/media_info.hpp"
#include "media/video_profile.hpp"

namespace kompo::analysis {

struct AnalysisOptions {
    TempoOptions tempo;
    double shot_threshold = 10.0;  // scdet's score (0..100) that starts a new shot
};

struct TempoAnalysis {
    BeatGrid grid;
    double aubio_bpm = 0;  // aubio's own tracker, for comparison
};

struct MediumAnalysis {
    MediaKind kind = MediaKind::video;
    Seconds duration;
    std::optional<TempoAnalysis> tempo;        // audio media
    std::optional<media::VideoProfile> shots;  // video media
};

// Decodes `file` and analyses it as its kind asks (an image has nothing to analyse).
// Throws Error(media) naming the file when it is missing or undecodable, Error(cancelled)
// once `cancelled` (when given) is set.
MediumAnalysis analyze_medium(const std::filesystem::path& file, const AnalysisOptions& options,
                              const std::atomic<bool>* cancelled = nullptr);

// The tempo of a mono sound (what analyze_medium does for audio, without the decoding).
TempoAnalysis analyze_tempo(const std::vector<float>& samples, int sample_rate,
                            const TempoOptions& options);

// The analysis as the API and `kompo analyze --json` show it (docs/analysis.md).
nlohmann::ordered_json analysis_json(const MediumAnalysis& analysis,
                                     const AnalysisOptions& options);
// Back from that JSON (a cached analysis); throws Error(invalid_input) on another shape.
MediumAnalysis analysis_from_json(const nlohmann::json& json);

}  // namespace kompo::analysis
