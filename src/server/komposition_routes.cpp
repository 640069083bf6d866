// /api/v1/kompositions: the tenant's documents with revisions (ETag / If-Match).
#include "core/random_hex.hpp"
#include "platform/documents.hpp"
#include "server/audit_trail.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using platform::Documents;
using platform::Expected;

constexpr const char* kBase = "/api/v1/kompositions";

std::string quoted(const std::string& rev) {
    return "\"" + rev + "\"";
}

// If-Match: "rev" (quotes optional); empty when absent.
std::string if_match(const Request& request) {
    auto value = request.header(http::field::if_match);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    return value;
}

Reply document_reply(http::status status, const platform::Document& document) {
    Reply reply = Reply::text(status, document.body, "application/json");
    reply.header("ETag", quoted(document.rev));
    return reply;
}

json summary(const platform::Document& d) {
    return {{"id", d.id},
            {"name", d.name},
            {"type", d.type},
            {"rev", d.rev},
            {"created_at", d.created_at},
            {"updated_at", d.updated_at}};
}

ordered_json object_body(const Request& request) {
    auto body = ordered_json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        throw HttpError(http::status::bad_request, "malformed_json",
                        "request body: not a JSON object");
    }
    return body;
}

bool if_none_match_hits(const Request& request, const platform::Document& document) {
    return request.header(http::field::if_none_match) == quoted(document.rev);
}

Reply conflict_reply(const platform::RevisionConflict& conflict, http::status status) {
    return Reply::error(status, "conflict", conflict.what(),
                        {{"current_rev", conflict.current_rev()}});
}

Reply list(ServiceContext& services, Request& request) {
    platform::DocumentQuery query;
    query.type = request.query_value("type", "Komposition");
    if (query.type == "any") query.type.clear();
    query.name_contains = request.query_value("name");
    query.after_id = request.query_value("after");
    query.limit = page_limit(request) + 1;  // one more tells whether there is a next page
    auto found = Documents(services.platform.tenant_store).list(request.tenant(), query);
    json items = json::array();
    const bool more = found.size() == query.limit;
    if (more) found.pop_back();
    for (const auto& d : found) items.push_back(summary(d));
    return Reply::json(http::status::ok,
                       {{"items", items}, {"next", more ? json(found.back().id) : json(nullptr)}});
}

Reply create(ServiceContext& services, Request& request) {
    auto body = object_body(request);
    auto id = platform::document_id_of(body);
    if (id.empty()) id = "k-" + random_hex(8);
    try {
        const auto written =
            Documents(services.platform.tenant_store)
                .put(request.tenant(), id, std::move(body), Expected{true, {}, true});
        return document_reply(http::status::created, written)
            .header("Location", std::string(kBase) + "/" + id);
    } catch (const platform::RevisionConflict& conflict) {
        return conflict_reply(conflict, http::status::conflict);
    }
}

Reply read(ServiceContext& services, Request& request) {
    const auto found =
        Documents(services.platform.tenant_store).get(request.tenant(), request.params["id"]);
    if (!found) {
        return Reply::error(http::status::not_found, "not_found",
                            request.params["id"] + ": no such komposition");
    }
    if (if_none_match_hits(request, *found)) {
        Reply unchanged;
        unchanged.status = http::status::not_modified;
        return unchanged.header("ETag", quoted(found->rev));
    }
    return document_reply(http::status::ok, *found);
}

Reply update(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    auto body = object_body(request);
    Documents documents(services.platform.tenant_store);
    std::string expected = if_match(request);
    if (expected.empty() && body.contains("_rev") && body["_rev"].is_string()) {
        expected = body["_rev"].get<std::string>();
    }
    const bool exists = documents.get(request.tenant(), id).has_value();
    if (exists && expected.empty()) {
        return Reply::error(http::status::precondition_required, "precondition_required",
                            id + ": send If-Match with the revision you edited");
    }
    try {
        const auto written =
            documents.put(request.tenant(), id, std::move(body),
                          exists ? Expected{false, expected, true} : Expected{true, {}, true});
        return document_reply(exists ? http::status::ok : http::status::created, written);
    } catch (const platform::RevisionConflict& conflict) {
        return conflict_reply(conflict, http::status::precondition_failed);
    }
}

Reply remove(ServiceContext& services, Request& request) {
    const auto& id = request.params["id"];
    const auto expected = if_match(request);
    if (!Documents(services.platform.tenant_store).get(request.tenant(), id)) {
        return Reply::error(http::status::not_found, "not_found", id + ": no such komposition");
    }
    if (expected.empty()) {
        return Reply::error(http::status::precondition_required, "precondition_required",
                            id + ": send If-Match with the revision you delete");
    }
    try {
        const auto tombstone = Documents(services.platform.tenant_store)
                                   .remove(request.tenant(), id, Expected{false, expected, true});
        if (!tombstone) {
            return Reply::error(http::status::not_found, "not_found", id + ": no such komposition");
        }
        audit_action(services, request, "komposition.delete", id);
        return Reply::json(http::status::ok,
                           {{"id", id}, {"rev", tombstone->rev}, {"deleted", true}});
    } catch (const platform::RevisionConflict& conflict) {
        return conflict_reply(conflict, http::status::precondition_failed);
    }
}

}  // namespace

void add_komposition_routes(Router& router, ServiceContext& services) {
    const std::string one = std::string(kBase) + "/{id}";
    router.add(route(http::verb::get, kBase, [&](Request& r) { return list(services, r); }));
    router.add(route(http::verb::post, kBase, [&](Request& r) { return create(services, r); }));
    router.add(route(http::verb::get, one, [&](Request& r) { return read(services, r); }));
    router.add(route(http::verb::put, one, [&](Request& r) { return update(services, r); }));
    router.add(route(http::verb::delete_, one, [&](Request& r) { return remove(services, r); }));
}

}  // namespace kompo::server
