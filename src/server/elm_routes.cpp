// The existing Elm editor's API (../shared/docs/elm-editor-api.md), answered exactly so,
// under /heap/ and /api/heap/: CouchDB-shaped documents over the same documents service
// as the REST API, so both see one revision history.
#include <algorithm>
#include <charconv>
#include <iterator>
#include <vector>

#include "platform/documents.hpp"
#include "platform/renders.hpp"
#include "server/audit_trail.hpp"
#include "server/render_start.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using platform::Documents;
using platform::Expected;

Reply couch_error(http::status status, const std::string& error, const std::string& reason) {
    return Reply::json(status, {{"error", error}, {"reason", reason}});
}

// Every call carries `Authy: <token>` (the gatekeeper checks it, like any credential).
template <typename Handler>
std::function<Reply(Request&)> with(ServiceContext& services, Handler handler) {
    return [&services, handler](Request& request) { return handler(services, request); };
}

Reply find(ServiceContext& services, Request& request) {
    const auto query = request.json_body();
    platform::DocumentQuery wanted;
    const auto selector = query.value("selector", json::object());
    if (selector.contains("type") && selector["type"].is_string()) wanted.type = selector["type"];
    wanted.limit = query.contains("limit") && query["limit"].is_number_unsigned()
                       ? query["limit"].get<std::size_t>()
                       : 100'000;
    const auto fields = query.value("fields", json::array({"_id", "_rev"}));
    json docs = json::array();
    for (const auto& document :
         Documents(services.platform.tenant_store).list(request.tenant(), wanted)) {
        const auto body = json::parse(document.body);
        // A Mango selector on `type` matches the field itself: a draft without one is no
        // Komposition (the store files such documents under that type all the same).
        if (!wanted.type.empty() && body.value("type", std::string()) != wanted.type) continue;
        json shown = json::object();
        for (const auto& field : fields) {
            if (field.is_string() && body.contains(field.get<std::string>())) {
                shown[field.get<std::string>()] = body[field.get<std::string>()];
            }
        }
        docs.push_back(shown);
    }
    return Reply::json(http::status::ok, {{"docs", docs}, {"bookmark", "nil"}, {"warning", ""}});
}

Reply read(ServiceContext& services, Request& request) {
    const auto found =
        Documents(services.platform.tenant_store).get(request.tenant(), request.params["id"]);
    if (!found) return couch_error(http::status::not_found, "not_found", "missing");
    return Reply::text(http::status::ok, platform::elm_view(*found), "application/json");
}

Reply save(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    auto body = ordered_json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return couch_error(http::status::bad_request, "bad_request", "invalid UTF-8 JSON");
    }
    std::optional<std::string> rev;
    if (body.contains("_rev") && body["_rev"].is_string()) rev = body["_rev"].get<std::string>();
    if (!rev && !request.header("x-amz-version-id").empty())
        rev = request.header("x-amz-version-id");
    try {
        const auto written =
            Documents(services.platform.tenant_store)
                .put(request.tenant(), id, std::move(body), Expected{!rev.has_value(), rev, false});
        return Reply::json(http::status::created, {{"id", id}, {"ok", true}, {"rev", written.rev}});
    } catch (const platform::RevisionConflict&) {
        return couch_error(http::status::conflict, "conflict", "Document update conflict.");
    }
}

Reply remove(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    try {
        const auto tombstone =
            Documents(services.platform.tenant_store)
                .remove(request.tenant(), id, Expected{false, request.query_value("rev"), false});
        if (!tombstone) return couch_error(http::status::not_found, "not_found", "missing");
        audit_action(services, request, "komposition.delete", id);
        return Reply::json(http::status::ok, {{"id", id}, {"ok", true}, {"rev", tombstone->rev}});
    } catch (const platform::RevisionConflict&) {
        return couch_error(http::status::conflict, "conflict", "Document update conflict.");
    }
}

// Whether the posted document says something the stored one does not (its revision and
// id aside): then it is stored as the next revision before it is rendered.
bool differs_from_stored(const ordered_json& posted, const platform::Document& stored) {
    auto mine = json::parse(posted.dump());
    auto theirs = json::parse(stored.body);
    for (auto* side : {&mine, &theirs}) {
        side->erase("_rev");
        side->erase("_id");
        side->erase("id");
    }
    return mine != theirs;
}

// POST /kvaern/createvideo?{id}: the query is the id itself. The render is of what the
// editor shows, the document posted: stored first when the server does not have it or has
// it otherwise (as the next revision of the one it was edited from: a stale one is a 409,
// as a save would be), so every render is of a stored revision.
Reply create_video(ServiceContext& services, Request& request) {
    auto body = ordered_json::parse(request.body, nullptr, false);
    std::string id = request.query.size() == 1 ? request.query.begin()->first : "";
    if (id.empty() && body.is_object()) id = platform::document_id_of(body);
    if (id.empty()) {
        return couch_error(http::status::bad_request, "bad_request", "createvideo?{id}: no id");
    }
    Documents documents(services.platform.tenant_store);
    const auto stored = documents.get(request.tenant(), id);
    if (body.is_object() && (!stored || differs_from_stored(body, *stored))) {
        const auto based_on = body.contains("_rev") && body["_rev"].is_string()
                                  ? body["_rev"].get<std::string>()
                                  : (stored ? stored->rev : std::string());
        try {
            documents.put(request.tenant(), id, body,
                          stored ? Expected{false, based_on, false} : Expected{true, {}, false});
        } catch (const platform::RevisionConflict&) {
            return couch_error(http::status::conflict, "conflict", "Document update conflict.");
        }
    }
    const auto render = start_render(services, request, platform::RenderStart{id, {}, "", {}});
    if (!render) return couch_error(http::status::not_found, "not_found", "missing");
    return Reply::json(http::status::ok, {{"id", id}, {"ok", true}, {"rev", *render}});
}

json media_item(const json& body) {
    auto text = [&](const char* key) { return body.value(key, std::string()); };
    return {{"id", body.value("_id", std::string())},
            {"url", text("url")},
            {"startingOffset", body.value("startingOffset", 0.0)},
            {"checksum", body.value("checksum", body.value("checksums", std::string()))},
            {"format", text("format")},
            {"extensionType", body.value("extensionType", body.value("extension", std::string()))},
            {"mediaType", body.value("mediaType", body.value("mediatype", std::string()))},
            {"width", body.value("width", 0)},
            {"height", body.value("height", 0)}};
}

// `limit` as the editor sends it (20); anything but a whole number from 1 is that default.
std::size_t search_limit(const std::string& text) {
    constexpr std::size_t kDefault = 20;
    constexpr std::size_t kMost = 500;
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value == 0) return kDefault;
    return std::min(value, kMost);
}

// The tenant's media of the wanted types, in id order across the types (the first `limit`).
Reply media_search(ServiceContext& services, Request& request) {
    const auto type = request.query_value("mediaType");
    const auto limit = search_limit(request.query_value("limit", "20"));
    std::vector<platform::Document> found;
    for (const char* kind : {"Video", "Audio", "Image"}) {
        if (!type.empty() && !boost::beast::iequals(type, kind)) continue;
        platform::DocumentQuery wanted;
        wanted.type = kind;
        wanted.name_contains = request.query_value("q");
        wanted.limit = limit;
        auto some = Documents(services.platform.tenant_store).list(request.tenant(), wanted);
        found.insert(found.end(), std::make_move_iterator(some.begin()),
                     std::make_move_iterator(some.end()));
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    json items = json::array();
    for (std::size_t i = 0; i < found.size() && i < limit; ++i) {
        items.push_back(media_item(json::parse(found[i].body)));
    }
    return Reply::json(http::status::ok, {{"items", items}});
}

// Answered for the tenant's own documents only, like every other id.
Reply not_fetching(ServiceContext& services, Request& request) {
    if (!Documents(services.platform.tenant_store).get(request.tenant(), request.params["id"])) {
        return couch_error(http::status::not_found, "not_found", "missing");
    }
    return Reply::error(http::status::not_implemented, "not_implemented",
                        request.path + ": this platform does not fetch from outside sources");
}

}  // namespace

void add_elm_routes(Router& router, ServiceContext& services) {
    for (const std::string prefix : {"/heap", "/api/heap"}) {
        for (const char* name : {"/_find", "/find"}) {
            router.add(route(http::verb::post, prefix + name, with(services, find))
                           .needs(auth::Permission::read));
        }
        router.add(route(http::verb::get, prefix + "/{id}", with(services, read)));
        router.add(route(http::verb::put, prefix + "/{id}", with(services, save)));
        router.add(route(http::verb::delete_, prefix + "/{id}", with(services, remove)));
    }
    router.add(route(http::verb::post, "/kvaern/createvideo", with(services, create_video))
                   .needs(auth::Permission::render));
    router.add(route(http::verb::get, "/api/multimedia/search", with(services, media_search)));
    router.add(route(http::verb::get, "/meta/{id}", with(services, not_fetching)));
    router.add(route(http::verb::get, "/fetch/{id}/{format}", with(services, not_fetching)));
}

}  // namespace kompo::server
