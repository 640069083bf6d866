// /api/v1/media: upload (streamed to disk, probed on arrival), list and search,
// metadata, download with Range, thumbnails and waveforms, delete.
#include <utility>

#include "platform/documents.hpp"
#include "platform/media_analyses.hpp"
#include "platform/media_library.hpp"
#include "platform/media_previews.hpp"
#include "server/audit_trail.hpp"
#include "server/file_reply.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using nlohmann::json;
using platform::MediaLibrary;

constexpr const char* kBase = "/api/v1/media";

Reply not_found(const std::string& name) {
    return Reply::error(http::status::not_found, "not_found",
                        "medium " + name + ": no such medium");
}

double number_param(const Request& request, const std::string& name, double fallback, double low,
                    double high) {
    const auto text = request.query_value(name);
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || value < low || value > high) {
        throw HttpError(http::status::bad_request, "bad_parameter",
                        name + ": \"" + text + "\" is not a number from " + std::to_string(low) +
                            " to " + std::to_string(high));
    }
    return value;
}

Reply upload(ServiceContext& services, Request& request) {
    const auto name = request.query_value("name");
    const bool replace = request.query_value("replace") == "true";
    const auto upload = std::exchange(request.upload, {});  // add moves it in or deletes it
    try {
        services.quotas.check_upload(request.tenant(),
                                     static_cast<std::int64_t>(request.upload_bytes));
    } catch (...) {
        std::error_code ignored;
        std::filesystem::remove(upload, ignored);
        throw;
    }
    try {
        const auto replaced =
            replace
                ? platform::Documents(services.platform.tenant_store).get(request.tenant(), name)
                : std::nullopt;
        const auto document =
            MediaLibrary(services.platform).add(request.tenant(), upload, name, replace);
        if (replaced) audit_action(services, request, "media.replace", name + " " + replaced->rev);
        platform::MediaAnalyses(services.platform, &services.analyses)
            .prefetch(request.tenant(), document);
        return Reply::text(http::status::created, document.body, "application/json")
            .header("Location", std::string(kBase) + "/" + name);
    } catch (const platform::RevisionConflict& conflict) {
        return Reply::error(http::status::conflict, "exists", conflict.what());
    }
}

Reply list(ServiceContext& services, Request& request) {
    platform::DocumentQuery query;
    query.type = request.query_value("type");  // Video, Audio, Image; empty: all three
    query.name_contains = request.query_value("q");
    query.after_id = request.query_value("after");
    const auto limit = page_limit(request);
    json items = json::array();
    std::string next;
    // Kompositions share the documents table; they are skipped, page by page.
    while (items.size() < limit) {
        query.limit = limit;
        const auto found =
            platform::Documents(services.platform.tenant_store).list(request.tenant(), query);
        for (const auto& d : found) {
            query.after_id = d.id;
            if (d.type == "Komposition" || items.size() >= limit) continue;
            items.push_back(json::parse(d.body));
            next = d.id;
        }
        if (found.size() < limit) {
            next.clear();
            break;
        }
    }
    return Reply::json(http::status::ok,
                       {{"items", items}, {"next", next.empty() ? json(nullptr) : json(next)}});
}

Reply metadata(ServiceContext& services, Request& request) {
    const auto found =
        MediaLibrary(services.platform).find(request.tenant(), request.params["name"]);
    if (!found) return not_found(request.params["name"]);
    return Reply::text(http::status::ok, found->first.body, "application/json");
}

Reply download(ServiceContext& services, Request& request) {
    const auto found =
        MediaLibrary(services.platform).find(request.tenant(), request.params["name"]);
    if (!found) return not_found(request.params["name"]);
    return file_reply(request, found->second, content_type_of(found->second));
}

Reply thumbnail(ServiceContext& services, Request& request) {
    const auto found =
        MediaLibrary(services.platform).find(request.tenant(), request.params["name"]);
    if (!found) return not_found(request.params["name"]);
    const auto at = number_param(request, "t", 0, 0, 1e7);
    const auto width = number_param(request, "width", 320, 16, 1920);
    auto reply =
        Reply::text(http::status::ok,
                    platform::thumbnail_jpeg(found->second, Seconds(at), static_cast<int>(width)),
                    "image/jpeg");
    return reply.header("Cache-Control", "private, max-age=3600");
}

Reply waveform(ServiceContext& services, Request& request) {
    const auto found =
        MediaLibrary(services.platform).find(request.tenant(), request.params["name"]);
    if (!found) return not_found(request.params["name"]);
    const auto peaks = platform::waveform_peaks(
        found->second, static_cast<int>(number_param(request, "peaks", 1000, 1, 100000)));
    return Reply::json(http::status::ok, {{"duration", peaks.duration_seconds},
                                          {"seconds_per_peak", peaks.seconds_per_peak},
                                          {"sample_rate", peaks.sample_rate},
                                          {"min", peaks.min},
                                          {"max", peaks.max}});
}

// Deleting a medium that kompositions use breaks their renders: refused (409 naming
// them) unless the caller says `force=true`, as the web app does after asking.
Reply remove(ServiceContext& services, Request& request) {
    const auto& name = request.params["name"];
    MediaLibrary library(services.platform);
    if (!library.find(request.tenant(), name)) return not_found(name);
    if (request.query_value("force") != "true") {
        const auto users = library.kompositions_using(request.tenant(), name);
        if (!users.empty()) {
            std::string listed;
            for (const auto& id : users) listed += (listed.empty() ? "" : ", ") + id;
            return Reply::error(http::status::conflict, "in_use",
                                name + ": used by " + listed + " (delete with ?force=true)",
                                {{"kompositions", users}});
        }
    }
    try {
        if (!library.remove(request.tenant(), name)) return not_found(name);
    } catch (const platform::RevisionConflict& conflict) {
        return Reply::error(http::status::conflict, "conflict", conflict.what());
    }
    audit_action(services, request, "media.delete", name);
    return Reply::json(http::status::ok, {{"name", name}, {"deleted", true}});
}

}  // namespace

void add_media_routes(Router& router, ServiceContext& services) {
    const std::string one = std::string(kBase) + "/{name}";
    auto upload_route = route(
        http::verb::post, kBase, [&](Request& r) { return upload(services, r); }, BodyKind::upload);
    upload_route.admit_body = [&services](const Request& r, std::uint64_t announced) {
        services.quotas.check_upload(r.tenant(), static_cast<std::int64_t>(announced));
    };
    router.add(std::move(upload_route));
    router.add(route(http::verb::get, kBase, [&](Request& r) { return list(services, r); }));
    router.add(route(http::verb::get, one, [&](Request& r) { return metadata(services, r); }));
    router.add(route(http::verb::delete_, one, [&](Request& r) { return remove(services, r); }));
    router.add(
        route(http::verb::get, one + "/file", [&](Request& r) { return download(services, r); }));
    router.add(route(http::verb::get, one + "/thumbnail",
                     [&](Request& r) { return thumbnail(services, r); }));
    router.add(route(http::verb::get, one + "/waveform",
                     [&](Request& r) { return waveform(services, r); }));
}

}  // namespace kompo::server
