#pragma once
// The tenant's documents (kompositions, and documents describing media) with CouchDB
// revisions: every write gets `_rev` "N-<hash>", and a write that names a revision other
// than the current one is a conflict that changes nothing. Shared by the REST API and the
// Elm editor's API, so both see one history.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "platform/rows.hpp"

namespace kompo::platform {

// Until accounts exist (issue 6) everything belongs to this tenant.
inline constexpr const char* kDefaultTenant = "default";

// A write named a revision that is not the current one (or none, for an existing id).
class RevisionConflict : public Error {
  public:
    RevisionConflict(const std::string& message, std::string current)
        : Error(ErrorKind::invalid_input, message), current_(std::move(current)) {}
    const std::string& current_rev() const { return current_; }

  private:
    std::string current_;
};

// What a write expects to replace.
struct Expected {
    bool must_be_new = false;        // create: the id must not exist (or be deleted)
    std::optional<std::string> rev;  // update/delete: the current revision
    // Kompositions are validated before they are stored; the Elm editor's API stores
    // drafts as CouchDB did (they are validated when rendered).
    bool validate = true;
};

class Documents {
  public:
    explicit Documents(TenantStore& store) : store_(store) {}

    // The live document (not a tombstone), with `_id` and `_rev` set in its body.
    std::optional<Document> get(const std::string& tenant, const std::string& id);
    // Writes `body` as the next revision. A Komposition is validated first (Error
    // invalid_input naming the field). Throws RevisionConflict per `expected`.
    Document put(const std::string& tenant, const std::string& id, nlohmann::ordered_json body,
                 const Expected& expected);
    // Leaves a tombstone with the next revision; nullopt when there is no live document.
    // Throws RevisionConflict per `expected`.
    std::optional<Document> remove(const std::string& tenant, const std::string& id,
                                   const Expected& expected);
    // The tenant's documents only: the query's own tenant is replaced by `tenant`.
    std::vector<Document> list(const std::string& tenant, DocumentQuery query);

  private:
    TenantStore& store_;
};

// The document id of a body: `_id`, else `id` (the second dialect); empty when neither.
std::string document_id_of(const nlohmann::ordered_json& body);

// The document as the Elm editor decodes it: a komposition in canonical form (every source
// with the fields its decoder requires, empty where unknown; whole beats as integers; every
// other field as stored), whoever wrote it. Any other document, and a draft that does not
// read as a komposition, as stored.
std::string elm_view(const Document& document);

}  // namespace kompo::platform
