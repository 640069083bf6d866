#include "platform/documents.hpp"

#include "komposition/komposition.hpp"
#include "workflow/artifact_key.hpp"

namespace kompo::platform {

namespace {

using nlohmann::ordered_json;

std::string next_rev(std::int64_t revision, const std::string& body) {
    return std::to_string(revision) + "-" + workflow::hash_hex(body).substr(0, 32);
}

void check_expected(const std::optional<Document>& current, const std::string& id,
                    const Expected& expected) {
    const bool live = current && !current->deleted;
    if (expected.must_be_new && live) {
        throw RevisionConflict(
            id + ": a document with this id exists (revision " + current->rev + ")", current->rev);
    }
    if (expected.must_be_new) return;
    const std::string current_rev = live ? current->rev : "";
    if (expected.rev.value_or("") != current_rev) {
        const std::string now = live ? "revision " + current_rev : "no document";
        throw RevisionConflict(id + ": revision " + expected.rev.value_or("(none)") +
                                   " is not the current one (" + now + ")",
                               current_rev);
    }
}

std::string name_of(const ordered_json& body, const std::string& id) {
    const auto name = body.find("name");
    return name != body.end() && name->is_string() ? name->get<std::string>() : id;
}

std::string type_of(const ordered_json& body) {
    const auto type = body.find("type");
    return type != body.end() && type->is_string() ? type->get<std::string>() : "Komposition";
}

}  // namespace

std::string document_id_of(const ordered_json& body) {
    for (const char* key : {"_id", "id"}) {
        const auto id = body.find(key);
        if (id != body.end() && id->is_string()) return id->get<std::string>();
    }
    return "";
}

std::optional<Document> Documents::get(const std::string& tenant, const std::string& id) {
    std::optional<Document> found;
    store_.read([&](TenantRows& tx) { found = tx.document(tenant, id); });
    if (!found || found->deleted) return std::nullopt;
    return found;
}

Document Documents::put(const std::string& tenant, const std::string& id, ordered_json body,
                        const Expected& expected) {
    if (!body.is_object()) throw Error::invalid(id + ": a document is a JSON object");
    body["_id"] = id;
    body.erase("_rev");
    if (expected.validate && type_of(body) == "Komposition")
        komp::validate(komp::parse(body.dump(), "komposition " + id));
    Document written;
    store_.write([&](TenantRows& tx) {
        const auto current = tx.document(tenant, id);
        check_expected(current, id, expected);
        written.tenant = tenant;
        written.id = id;
        written.type = type_of(body);
        written.name = name_of(body, id);
        written.revision = current ? current->revision + 1 : 1;
        auto stored = body;
        const auto text = stored.dump();
        written.rev = next_rev(written.revision, text);
        stored["_rev"] = written.rev;
        written.body = stored.dump();
        const auto now = now_millis();
        written.created_at = current && !current->deleted ? current->created_at : now;
        written.updated_at = now;
        tx.put_document(written);
    });
    return written;
}

std::optional<Document> Documents::remove(const std::string& tenant, const std::string& id,
                                          const Expected& expected) {
    std::optional<Document> tombstone;
    store_.write([&](TenantRows& tx) {
        auto current = tx.document(tenant, id);
        if (!current || current->deleted) return;
        check_expected(current, id, expected);
        current->revision += 1;
        current->rev = next_rev(current->revision, "deleted:" + current->rev);
        current->deleted = true;
        current->updated_at = now_millis();
        tx.put_document(*current);
        tombstone = current;
    });
    return tombstone;
}

std::vector<Document> Documents::list(const std::string& tenant, DocumentQuery query) {
    if (tenant.empty()) throw Error::internal("Documents::list: no tenant");
    query.tenant = tenant;
    std::vector<Document> found;
    store_.read([&](TenantRows& tx) { found = tx.documents(query); });
    return found;
}

std::string elm_view(const Document& document) {
    if (document.type != "Komposition") return document.body;
    try {
        return komp::to_canonical(komp::parse(document.body, document.id)).dump();
    } catch (const Error&) {
        return document.body;
    }
}

}  // namespace kompo::platform
