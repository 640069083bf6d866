#include "platform/media_analyses.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/random_hex.hpp"
#include "platform/documents.hpp"
#include "platform/media_library.hpp"

namespace kompo::platform {

namespace fs = std::filesystem;

namespace {

// Changes whenever the analysis gives other answers for the same input.
constexpr const char* kAnalysisVersion = "a1";

std::string options_key(const analysis::AnalysisOptions& o) {
    char key[96];
    std::snprintf(key, sizeof key, "%s-%g-%g-%g", kAnalysisVersion, o.tempo.min_bpm,
                  o.tempo.max_bpm, o.shot_threshold);
    return key;
}

std::optional<analysis::MediumAnalysis> read_cached(const fs::path& file) {
    std::ifstream in(file);
    if (!in) return std::nullopt;
    const auto json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded()) return std::nullopt;  // a damaged cache entry is made again
    try {
        return analysis::analysis_from_json(json);
    } catch (const Error&) {
        return std::nullopt;
    }
}

// All or nothing: a temporary file beside it, renamed into place.
void write_cached(const fs::path& file, const std::string& text) {
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    const fs::path temporary = file.parent_path() / ("." + random_hex(8) + ".tmp");
    {
        std::ofstream out(temporary, std::ios::binary);
        out << text;
        out.flush();
        if (!out) {
            fs::remove(temporary, ec);
            return;  // the cache is an optimisation: a full disk only costs time
        }
    }
    fs::rename(temporary, file, ec);
    if (ec) fs::remove(temporary, ec);
}

double duration_of(const Document& document) {
    const auto body = nlohmann::json::parse(document.body, nullptr, false);
    return body.is_object() ? body.value("duration", 0.0) : 0.0;
}

void check_length(const std::string& name, const Document& document) {
    if (duration_of(document) > kMaxAnalysedSeconds) {
        throw Error::invalid(name + ": longer than " +
                             std::to_string(int(kMaxAnalysedSeconds / 60)) +
                             " minutes, too long to analyse here (use kompo analyze)");
    }
}

}  // namespace

std::optional<analysis::MediumAnalysis> MediaAnalyses::of(
    const std::string& tenant, const std::string& name, const analysis::AnalysisOptions& options) {
    const auto found = MediaLibrary(platform_).find(tenant, name);
    if (!found) return std::nullopt;
    const auto& [document, file] = *found;
    check_length(name, document);
    const auto body = nlohmann::json::parse(document.body, nullptr, false);
    const std::string checksum = body.is_object() ? body.value("checksums", std::string()) : "";
    const fs::path cached =
        file.parent_path() / ".analysis" / (checksum + "-" + options_key(options) + ".json");
    if (checksum.empty()) return analysis::analyze_medium(file, options);
    if (auto analysis = read_cached(cached)) return analysis;
    const auto make = [&](const std::atomic<bool>* cancelled) {
        // Another run may have written it since it was looked for.
        if (auto analysis = read_cached(cached)) return *analysis;
        auto analysis = analysis::analyze_medium(file, options, cancelled);
        write_cached(cached, analysis::analysis_json(analysis, options).dump());
        return analysis;
    };
    if (!runs_) return make(nullptr);
    return runs_->run(cached.string(),
                      [&](const std::atomic<bool>& cancelled) { return make(&cancelled); });
}

bool MediaAnalyses::prefetch(const std::string& tenant, const Document& medium) {
    const bool analysable = medium.type == "Audio" || medium.type == "Video";
    if (!runs_ || !analysable || duration_of(medium) > kMaxAnalysedSeconds) return false;
    // Looked up again when it runs: the medium may have been replaced or removed by then.
    return runs_->enqueue(
        tenant + "/" + medium.id, [&platform = platform_, runs = runs_, tenant, name = medium.id] {
            MediaAnalyses(platform, runs).of(tenant, name, analysis::AnalysisOptions{});
        });
}

Document MediaAnalyses::create_auto(const std::string& tenant, const AutoSpec& spec) {
    if (spec.clips.empty()) throw Error::invalid("clips: at least one video clip is needed");
    if (spec.clips.size() > kMaxAutoClips) {
        throw Error::invalid("clips: at most " + std::to_string(kMaxAutoClips));
    }
    AutoRequest request;
    request.song = {spec.audio, spec.audio};
    for (const auto& clip : spec.clips) request.clips.push_back({clip, clip});
    request.settings = spec.settings;
    if (request.settings.name.empty()) request.settings.name = "auto-" + random_hex(8);

    // Media are named by the caller: each must be one of the tenant's, found by name only.
    const auto analyse = [&](const fs::path& name) {
        auto analysis = of(tenant, name.string(), request.analysis);
        if (!analysis) throw Error::invalid(name.string() + ": no such medium");
        return *analysis;
    };
    auto document = auto_komposition(request, analyse);
    return Documents(platform_.tenant_store)
        .put(tenant, request.settings.name, std::move(document), Expected{true, {}, true});
}

}  // namespace kompo::platform
