// Music intelligence over the tenant's media: GET /api/v1/media/{name}/analysis (tempo,
// beats and first downbeat of a song; shot changes and levels of a clip), and
// POST /api/v1/auto-kompositions (a komposition cut on the beat from a song and clips).
#include "platform/documents.hpp"
#include "platform/media_analyses.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using nlohmann::json;

constexpr const char* kAuto = "/api/v1/auto-kompositions";

Reply analysis_of(ServiceContext& services, Request& request) {
    const std::string& name = request.params["name"];
    const analysis::AnalysisOptions options;
    const auto found = platform::MediaAnalyses(services.platform, &services.analyses)
                           .of(request.tenant(), name, options);
    if (!found) {
        return Reply::error(http::status::not_found, "not_found",
                            "medium " + name + ": no such medium");
    }
    return Reply::ordered_json(http::status::ok, analysis::analysis_json(*found, options));
}

template <typename T>
std::optional<T> optional_field(const json& body, const char* field) {
    if (!body.contains(field) || body[field].is_null()) return std::nullopt;
    return body[field].get<T>();
}

// Wrong types are the client's mistake: 400 naming the field.
platform::AutoSpec auto_spec(const json& body) {
    platform::AutoSpec spec;
    try {
        spec.audio = body.at("audio").get<std::string>();
        spec.clips = body.at("clips").get<std::vector<std::string>>();
        platform::AutoSettings& s = spec.settings;
        s.name = body.value("id", std::string());
        s.bars_per_cut = body.value("bars_per_cut", s.bars_per_cut);
        s.bpm = optional_field<double>(body, "bpm");
        s.offset = optional_field<double>(body, "offset");
        s.max_cuts = optional_field<int>(body, "max_cuts");
        s.width = body.value("width", s.width);
        s.height = body.value("height", s.height);
        s.framerate = body.value("framerate", s.framerate);
    } catch (const json::exception& e) {
        throw HttpError(
            http::status::bad_request, "bad_request",
            std::string("request body: needs audio (a medium's name) and clips (names): ") +
                e.what());
    }
    return spec;
}

void check_ranges(const platform::AutoSettings& spec) {
    const auto out_of = [](const std::string& field, double value, double low, double high) {
        if (value < low || value > high) {
            throw Error::invalid(field + ": " + std::to_string(value) + " is not from " +
                                 std::to_string(low) + " to " + std::to_string(high));
        }
    };
    out_of("bars_per_cut", spec.bars_per_cut, 1, 64);
    if (spec.bpm) out_of("bpm", *spec.bpm, 10, 1000);
    if (spec.offset) out_of("offset", *spec.offset, 0, 86400);
    if (spec.max_cuts) out_of("max_cuts", *spec.max_cuts, 1, 100000);
    out_of("width", spec.width, 2, 8192);
    out_of("height", spec.height, 2, 8192);
    out_of("framerate", spec.framerate, 1, 240);
}

Reply create_auto(ServiceContext& services, Request& request) {
    const platform::AutoSpec spec = auto_spec(request.json_body());
    check_ranges(spec.settings);
    try {
        const auto written = platform::MediaAnalyses(services.platform, &services.analyses)
                                 .create_auto(request.tenant(), spec);
        return Reply::text(http::status::created, written.body, "application/json")
            .header("ETag", "\"" + written.rev + "\"")
            .header("Location", "/api/v1/kompositions/" + written.id);
    } catch (const platform::RevisionConflict& conflict) {
        return Reply::error(http::status::conflict, "conflict", conflict.what(),
                            {{"current_rev", conflict.current_rev()}});
    }
}

}  // namespace

void add_analysis_routes(Router& router, ServiceContext& services) {
    router.add(route(http::verb::get, "/api/v1/media/{name}/analysis",
                     [&](Request& r) { return analysis_of(services, r); }));
    router.add(
        route(http::verb::post, kAuto, [&](Request& r) { return create_auto(services, r); }));
}

}  // namespace kompo::server
