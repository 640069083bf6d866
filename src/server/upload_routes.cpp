// /api/v1/uploads: resumable uploads of one medium (platform/upload_sessions.*). Announce
// name and size, PUT chunks in order with Content-Range, GET where to resume, DELETE.
// A chunk that does not complete the file is answered 200, not Google's 308 "Resume
// Incomplete": browsers' fetch treats a 308 as a redirect and fails without Location.
#include <charconv>
#include <filesystem>
#include <optional>
#include <utility>

#include "platform/documents.hpp"
#include "platform/media_analyses.hpp"
#include "platform/upload_sessions.hpp"
#include "server/audit_trail.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using nlohmann::json;
using platform::UploadSessions;
using platform::UploadState;

constexpr const char* kBase = "/api/v1/uploads";

std::string href(const std::string& id) {
    return std::string(kBase) + "/" + id;
}

json describe(const UploadState& state) {
    return {{"id", state.id},
            {"name", state.name},
            {"size", state.size},
            {"offset", state.offset},
            {"href", href(state.id)}};
}

// Request text echoed in a message, cut short and with anything but printable ASCII as
// '?': a JSON answer must be valid UTF-8, and a header or path may carry any byte.
std::string shown(const std::string& text) {
    std::string out = text.substr(0, 100);
    for (auto& c : out) {
        if (c < 0x20 || c > 0x7e) c = '?';
    }
    return out;
}

Reply not_found(const std::string& id) {
    return Reply::error(
        http::status::not_found, "not_found",
        "upload " + shown(id) + ": no such upload (finished, removed or idle too long)");
}

// A member of the announcement, of the JSON type `wanted`; Error(invalid_input) naming it.
const json& member(const json& body, const char* name, json::value_t wanted, bool required) {
    static const json absent;
    const auto found = body.find(name);
    if (found == body.end() && !required) return absent;
    const bool fits = found != body.end() &&
                      (found->type() == wanted ||
                       (wanted == json::value_t::number_unsigned && found->is_number_unsigned()));
    if (!fits) {
        const auto* kind = wanted == json::value_t::string    ? "a string"
                           : wanted == json::value_t::boolean ? "true or false"
                                                              : "a whole number of bytes";
        throw HttpError(http::status::unprocessable_entity, "invalid_input",
                        std::string(name) + ": must be " + kind, {{"field", name}});
    }
    return *found;
}

Reply announce(ServiceContext& services, Request& request) {
    const auto body = request.json_body();
    if (!body.is_object()) {
        throw HttpError(http::status::bad_request, "malformed_json",
                        "request body: a JSON object {\"name\", \"size\"} is expected");
    }
    platform::UploadAnnouncement upload;
    upload.name = member(body, "name", json::value_t::string, true).get<std::string>();
    upload.size = member(body, "size", json::value_t::number_unsigned, true).get<std::uint64_t>();
    const auto& replace = member(body, "replace", json::value_t::boolean, false);
    upload.replace = replace.is_boolean() && replace.get<bool>();
    const auto max_size = static_cast<std::uint64_t>(services.config.server.max_upload_bytes);
    if (upload.size <= max_size) {  // larger: refused below as the server's own limit
        services.quotas.check_upload(request.tenant(), static_cast<std::int64_t>(upload.size));
    }
    try {
        const auto state =
            UploadSessions(services.platform).announce(request.tenant(), upload, max_size);
        return Reply::json(http::status::created, describe(state))
            .header("Location", href(state.id));
    } catch (const platform::UploadTooLarge& e) {
        return Reply::error(http::status::payload_too_large, "too_large", e.what(),
                            {{"field", "size"}});
    } catch (const platform::RevisionConflict& conflict) {
        return Reply::error(http::status::conflict, "exists", conflict.what(), {{"field", "name"}});
    }
}

Reply status(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    const auto state = UploadSessions(services.platform).get(request.tenant(), id);
    if (!state) return not_found(id);
    return Reply::json(http::status::ok, describe(*state)).header("Cache-Control", "no-store");
}

struct ContentRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::uint64_t total = 0;
};

// "bytes FIRST-LAST/TOTAL" exactly; nullopt otherwise ("bytes */TOTAL" included: the
// offset is asked with GET here).
std::optional<ContentRange> parse_content_range(const std::string& text) {
    constexpr std::string_view kUnit = "bytes ";
    if (!text.starts_with(kUnit)) return std::nullopt;
    ContentRange range;
    const char* at = text.data() + kUnit.size();
    const char* end = text.data() + text.size();
    for (auto [value, separator] : {std::pair{&range.first, '-'}, std::pair{&range.last, '/'},
                                    std::pair{&range.total, '\0'}}) {
        const auto [next, error] = std::from_chars(at, end, *value);
        if (error != std::errc() || next == at) return std::nullopt;
        at = next;
        if (separator == '\0') break;
        if (at == end || *at != separator) return std::nullopt;
        ++at;
    }
    if (at != end) return std::nullopt;
    return range;
}

[[noreturn]] void bad_range(http::status status, const std::string& message) {
    throw HttpError(status, "bad_content_range", "Content-Range: " + message,
                    {{"field", "Content-Range"}});
}

// The chunk's first byte, once Content-Range agrees with the upload and the body.
std::uint64_t chunk_start(const Request& request, const UploadState& state) {
    const auto text = request.header(http::field::content_range);
    if (text.empty())
        bad_range(http::status::bad_request, "required, as \"bytes FIRST-LAST/SIZE\"");
    const auto range = parse_content_range(text);
    if (!range || range->last < range->first) {
        bad_range(http::status::bad_request,
                  "\"" + shown(text) + "\" is not \"bytes FIRST-LAST/SIZE\"");
    }
    if (range->total != state.size) {
        bad_range(http::status::bad_request, "size " + std::to_string(range->total) +
                                                 " is not the upload's " +
                                                 std::to_string(state.size));
    }
    if (range->last >= state.size) {
        bad_range(http::status::range_not_satisfiable, "byte " + std::to_string(range->last) +
                                                           " is past the upload's last byte " +
                                                           std::to_string(state.size - 1));
    }
    if (range->last - range->first + 1 != request.upload_bytes) {
        bad_range(http::status::bad_request,
                  "announces " + std::to_string(range->last - range->first + 1) +
                      " bytes but the body has " + std::to_string(request.upload_bytes));
    }
    return range->first;
}

// The chunk's temporary file goes before the reply, so that what a client sees after
// any answer is what stays on disk.
struct RemoveChunk {
    std::filesystem::path path;
    ~RemoveChunk() {
        std::error_code ignored;
        std::filesystem::remove(path, ignored);
    }
};

Reply chunk(ServiceContext& services, Request& request) {
    const RemoveChunk cleanup{std::exchange(request.upload, {})};
    const auto& id = request.params["id"];
    UploadSessions uploads(services.platform);
    const auto state = uploads.get(request.tenant(), id);
    if (!state) return not_found(id);
    const auto first = chunk_start(request, *state);
    // The last chunk makes it a medium: the storage it takes may have filled since the
    // upload was announced. Refused, the upload stays, to finish once there is room.
    if (first + request.upload_bytes == state->size) {
        services.quotas.check_upload(request.tenant(), static_cast<std::int64_t>(state->size));
    }
    try {
        const auto outcome = uploads.append(request.tenant(), id, first, cleanup.path);
        if (!outcome) return not_found(id);
        if (!outcome->medium) return Reply::json(http::status::ok, describe(outcome->state));
        platform::MediaAnalyses(services.platform, &services.analyses)
            .prefetch(request.tenant(), *outcome->medium);
        if (outcome->replaced_rev) {
            audit_action(services, request, "media.replace",
                         outcome->state.name + " " + *outcome->replaced_rev);
        }
        return Reply::text(http::status::created, outcome->medium->body, "application/json")
            .header("Location", "/api/v1/media/" + outcome->state.name);
    } catch (const platform::OffsetMismatch& mismatch) {
        return Reply::error(http::status::conflict, "offset_mismatch", mismatch.what(),
                            {{"offset", mismatch.offset()}, {"field", "Content-Range"}});
    } catch (const platform::RevisionConflict& conflict) {
        return Reply::error(http::status::conflict, "exists", conflict.what(), {{"field", "name"}});
    }
}

Reply cancel(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    if (!UploadSessions(services.platform).remove(request.tenant(), id)) return not_found(id);
    audit_action(services, request, "upload.cancel", id);
    Reply reply;
    reply.status = http::status::no_content;
    return reply;
}

}  // namespace

void add_upload_routes(Router& router, ServiceContext& services) {
    // Registered as the server starts: uploads left idle while it was down go now.
    const auto removed = UploadSessions(services.platform).remove_stale_everywhere();
    if (removed > 0) services.log.info("stale uploads removed", {{"count", removed}});

    const std::string one = std::string(kBase) + "/{id}";
    router.add(route(http::verb::post, kBase, [&](Request& r) { return announce(services, r); }));
    router.add(route(http::verb::get, one, [&](Request& r) { return status(services, r); }));
    router.add(route(
        http::verb::put, one, [&](Request& r) { return chunk(services, r); }, BodyKind::upload));
    router.add(route(http::verb::delete_, one, [&](Request& r) { return cancel(services, r); }));
}

}  // namespace kompo::server
