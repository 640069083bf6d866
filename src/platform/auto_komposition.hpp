#pragma once
// The automatic komposition from media files: analyse the song and the clips (through the
// caller's `analyse`, which may answer from a cache), then let montage cut on the beat.
// Shared by `kompo auto` and the API.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/analysis.hpp"
#include "montage/montage.hpp"

namespace kompo::platform {

struct AutoMedium {
    std::filesystem::path file;  // where to read it
    std::string url;             // how the komposition names it
};

// What the user chooses (kompo auto's flags, the API's request body).
struct AutoSettings {
    std::string name = "auto";  // the komposition's _id and name
    int bars_per_cut = 2;
    std::optional<double> bpm;     // the song's tempo when its analysis is unsure or wrong
    std::optional<double> offset;  // seconds into the song where beat 0 falls
    std::optional<int> max_cuts;
    int width = 1280;
    int height = 720;
    int framerate = 30;
};

struct AutoRequest {
    AutoMedium song;
    std::vector<AutoMedium> clips;
    AutoSettings settings;
    analysis::AnalysisOptions analysis;
};

using Analyse = std::function<analysis::MediumAnalysis(const std::filesystem::path&)>;

// Throws Error(invalid_input) when the song's tempo is unsure and no bpm was given (naming
// the song and its confidence), when a clip is not a video or the song not audio.
nlohmann::ordered_json auto_komposition(const AutoRequest& request, const Analyse& analyse);

}  // namespace kompo::platform
