#pragma once
// Analyses of a tenant's media (tempo and beats of songs, shot changes of clips) and the
// automatic komposition made from them. An analysis is cached beside the medium as
// .analysis/<content checksum>-<options>.json, so it is made once per content and options.
#include <optional>
#include <string>
#include <vector>

#include "analysis/analysis.hpp"
#include "platform/analysis_runs.hpp"
#include "platform/auto_komposition.hpp"
#include "platform/platform.hpp"
#include "platform/rows.hpp"

namespace kompo::platform {

// Media longer than this are not analysed on request (a server's time limit).
inline constexpr double kMaxAnalysedSeconds = 30 * 60;
inline constexpr std::size_t kMaxAutoClips = 50;

// The tenant's media by name; settings.name empty: a random id.
struct AutoSpec {
    std::string audio;
    std::vector<std::string> clips;
    AutoSettings settings;
};

class MediaAnalyses {
  public:
    // With `runs` (the server's), an analysis being made is made once for all who ask,
    // cancelled when the server stops, and new uploads can be analysed in the background.
    explicit MediaAnalyses(Platform& platform, AnalysisRuns* runs = nullptr)
        : platform_(platform), runs_(runs) {}

    // The analysis of the tenant's medium `name`; nullopt when the tenant has no such
    // medium. Throws Error(invalid_input) for a medium longer than kMaxAnalysedSeconds,
    // Error(media) when it cannot be decoded.
    std::optional<analysis::MediumAnalysis> of(const std::string& tenant, const std::string& name,
                                               const analysis::AnalysisOptions& options);

    // Queues the analysis (default options) of the tenant's new `medium` for the
    // background, so that it is cached by the time it is asked for. Skips images, media
    // too long to analyse here and a server without background analyses; false then.
    bool prefetch(const std::string& tenant, const Document& medium);

    // Builds the automatic komposition from the tenant's media and stores it. Throws
    // Error(invalid_input) naming the field (a medium that is not the tenant's, an unsure
    // tempo without a bpm, too many clips), RevisionConflict when the id is taken.
    Document create_auto(const std::string& tenant, const AutoSpec& spec);

  private:
    Platform& platform_;
    AnalysisRuns* runs_;
};

}  // namespace kompo::platform
