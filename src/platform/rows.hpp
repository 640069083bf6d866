#pragma once
// The rows the platform keeps for its tenants (documents: kompositions and media; quotas
// and what they are measured against), and the small interfaces it reads and writes them
// through. Declared here, where they are used; a store backend (src/store) implements them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/transactional.hpp"
#include "workflow/vocabulary.hpp"

namespace kompo::platform {

// A JSON document of one tenant, CouchDB style: every change writes a new `rev`.
struct Document {
    std::string tenant;
    std::string id;    // unique within its tenant
    std::string type;  // "Komposition", "Video", "Audio", "Image"
    std::string name;
    std::string rev;            // "N-<hash>"
    std::int64_t revision = 0;  // the N of `rev`
    std::string body;           // the JSON document
    bool deleted = false;       // a tombstone; `body` is the last one before deletion
    Millis created_at = 0;
    Millis updated_at = 0;
};

// One page of a tenant's documents, by id ascending. Every member has a default, so that
// `{.tenant = t, .limit = 10}` leaves the rest out without a missing-initializer warning.
struct DocumentQuery {
    std::string tenant{};
    std::string type{};           // empty: any
    std::string name_contains{};  // substring of name or id, ASCII case-insensitive; empty: any
    std::string after_id{};       // keyset paging: only ids > this
    std::size_t limit = 50;
    bool include_deleted = false;
};

// A tenant's limits; a negative value means "the configured default".
struct Quota {
    std::string tenant;
    std::int64_t storage_bytes = -1;
    std::int64_t concurrent_renders = -1;
    std::int64_t renders_per_day = -1;
    std::int64_t upload_bytes = -1;
};

class DocumentRows {
  public:
    virtual ~DocumentRows() = default;
    // Those matching `query`, by id, at most `query.limit`.
    virtual std::vector<Document> documents(const DocumentQuery& query) = 0;
    // Tombstones too.
    virtual std::optional<Document> document(const std::string& tenant, const std::string& id) = 0;
    // Inserts, or replaces the row of (tenant, id).
    virtual void put_document(const Document& document) = 0;
};

class QuotaRows {
  public:
    virtual ~QuotaRows() = default;
    virtual std::optional<Quota> quota(const std::string& tenant) = 0;
    virtual void put_quota(const Quota& quota) = 0;
    // What quotas are measured against: the bytes of the tenant's live media documents,
    // its executions in one of `states`, and those created at or after `since`.
    virtual std::int64_t media_bytes(const std::string& tenant) = 0;
    virtual std::int64_t count_executions_in(
        const std::string& tenant, const std::vector<workflow::ExecutionState>& states) = 0;
    virtual std::int64_t count_executions_since(const std::string& tenant, Millis since) = 0;
};

// What one platform transaction reaches.
class TenantRows : public DocumentRows, public QuotaRows {};

using TenantStore = Transactional<TenantRows>;

}  // namespace kompo::platform
