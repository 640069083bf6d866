// The analysis as JSON (docs/analysis.md), and back from it for the cache.
#include <cmath>

#include "analysis/analysis.hpp"
#include "core/error.hpp"

namespace kompo::analysis {

namespace {

using ojson = nlohmann::ordered_json;

// To `per_unit`ths (1e4: four decimals); dividing by a whole power of ten gives the
// double nearest the decimal, which JSON prints short ("0.482", not "0.48200000000000004").
double rounded(double x, double per_unit) {
    return std::round(x * per_unit) / per_unit;
}
constexpr double kTimeStep = 1e4;  // beats and cuts to a tenth of a millisecond
constexpr double kBpmStep = 1e3;   // 0.001 BPM: under 2 ms of drift over 3 minutes at 128
constexpr double kLevelStep = 1e4;

ojson tempo_json(const TempoAnalysis& tempo, const TempoOptions& options) {
    const BeatGrid& g = tempo.grid;
    ojson beats = ojson::array();
    for (double b : g.beats) beats.push_back(rounded(b, kTimeStep));
    return ojson{
        // Said, not guessed: no tempo is offered unless the grid explains the sound.
        {"bpm", g.confident ? ojson(rounded(g.bpm, kBpmStep)) : ojson(nullptr)},
        {"estimate", rounded(g.bpm, kBpmStep)},
        {"confidence", rounded(g.confidence, 1e3)},
        {"confident", g.confident},
        {"music_start", rounded(g.music_start, kTimeStep)},
        {"first_beat", rounded(g.first_beat, kTimeStep)},
        {"first_downbeat", rounded(g.first_downbeat, kTimeStep)},
        {"beats", std::move(beats)},
        {"aubio_bpm", rounded(tempo.aubio_bpm, 1e2)},
        {"min_bpm", options.min_bpm},
        {"max_bpm", options.max_bpm},
    };
}

ojson shots_json(const media::VideoProfile& p, double threshold) {
    ojson changes = ojson::array();
    for (const auto& c : p.shot_changes) {
        changes.push_back({{"frame", c.frame},
                           {"time", rounded(c.time.value(), kTimeStep)},
                           {"score", rounded(c.score, 1e3)}});
    }
    ojson seconds = ojson::array();
    for (const auto& s : p.seconds) {
        seconds.push_back({{"brightness", rounded(s.brightness, kLevelStep)},
                           {"motion", rounded(s.motion, kLevelStep)}});
    }
    return ojson{{"frame_rate", {p.frame_rate.num, p.frame_rate.den}},
                 {"frames", p.frames},
                 {"threshold", threshold},
                 {"changes", std::move(changes)},
                 {"seconds", std::move(seconds)}};
}

TempoAnalysis tempo_from(const nlohmann::json& j) {
    TempoAnalysis tempo;
    BeatGrid& g = tempo.grid;
    g.bpm = j.at("estimate").get<double>();
    g.confidence = j.at("confidence").get<double>();
    g.confident = j.at("confident").get<bool>();
    g.music_start = j.at("music_start").get<double>();
    g.first_beat = j.at("first_beat").get<double>();
    g.first_downbeat = j.at("first_downbeat").get<double>();
    g.beats = j.at("beats").get<std::vector<double>>();
    tempo.aubio_bpm = j.at("aubio_bpm").get<double>();
    return tempo;
}

media::VideoProfile shots_from(const nlohmann::json& j) {
    media::VideoProfile p;
    p.frame_rate =
        FrameRate{j.at("frame_rate").at(0).get<int>(), j.at("frame_rate").at(1).get<int>()};
    p.frames = j.at("frames").get<std::int64_t>();
    for (const auto& c : j.at("changes")) {
        p.shot_changes.push_back({c.at("frame").get<std::int64_t>(),
                                  Seconds(c.at("time").get<double>()),
                                  c.at("score").get<double>()});
    }
    for (const auto& s : j.at("seconds")) {
        p.seconds.push_back({s.at("brightness").get<double>(), s.at("motion").get<double>()});
    }
    return p;
}

}  // namespace

nlohmann::ordered_json analysis_json(const MediumAnalysis& analysis,
                                     const AnalysisOptions& options) {
    ojson out{{"kind", media_kind_name(analysis.kind)},
              {"duration", rounded(analysis.duration.value(), kTimeStep)}};
    if (analysis.tempo) {
        out["tempo"] = tempo_json(*analysis.tempo, options.tempo);
        // What the editor offers to set (never applied without the user).
        if (analysis.tempo->grid.confident) {
            out["suggested"] = {{"bpm", out["tempo"]["bpm"]},
                                {"startingOffset", out["tempo"]["first_downbeat"]}};
        }
    }
    if (analysis.shots) {
        out["shots"] = shots_json(*analysis.shots, options.shot_threshold);
    }
    return out;
}

MediumAnalysis analysis_from_json(const nlohmann::json& json) {
    try {
        MediumAnalysis analysis;
        const std::string kind = json.at("kind").get<std::string>();
        analysis.kind = kind == "audio"   ? MediaKind::audio
                        : kind == "image" ? MediaKind::image
                                          : MediaKind::video;
        analysis.duration = Seconds(json.at("duration").get<double>());
        if (json.contains("tempo")) analysis.tempo = tempo_from(json.at("tempo"));
        if (json.contains("shots")) {
            analysis.shots = shots_from(json.at("shots"));
            analysis.shots->duration = analysis.duration;
        }
        return analysis;
    } catch (const nlohmann::json::exception& e) {
        throw Error::invalid(std::string("analysis: not an analysis (") + e.what() + ")");
    }
}

}  // namespace kompo::analysis
