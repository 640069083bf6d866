// The documents of each tenant: kompositions and media, as JSON with CouchDB revisions.
#include <string>

#include "store/sql_fields.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

const std::string kSelectDocuments = "SELECT " + kDocumentFields + " FROM documents ";

Document read_document(const Statement& row) {
    return Document{row.text(0),    row.text(1),    row.text(2), row.text(3),
                    row.text(4),    row.integer(5), row.text(6), row.integer(7) != 0,
                    row.integer(8), row.integer(9)};
}

// Only the filters that are set become SQL, so that a type filter is a plain equality
// the (tenant, type, id) index can serve in id order. The parameters of the filters left
// out are bound all the same: SQLite ignores them.
std::string document_filters(const DocumentQuery& q) {
    std::string where = "WHERE tenant = ?1 AND id > ?2";
    if (!q.type.empty()) where += " AND type = ?3";
    // instr, not LIKE: a % or _ the user typed is meant literally.
    if (!q.name_contains.empty()) {
        where += " AND (instr(lower(name), lower(?4)) > 0 OR instr(lower(id), lower(?4)) > 0)";
    }
    if (!q.include_deleted) where += " AND deleted = 0";
    return where;
}

}  // namespace

std::vector<Document> SqliteTransaction::documents(const DocumentQuery& q) {
    Statement query(db_, kSelectDocuments + document_filters(q) + " ORDER BY id LIMIT ?5");
    query.with(q.tenant, q.after_id, q.type, q.name_contains, as_limit(q.limit));
    std::vector<Document> found;
    while (query.step()) found.push_back(read_document(query));
    return found;
}

std::optional<Document> SqliteTransaction::document(const std::string& tenant,
                                                    const std::string& id) {
    Statement query(db_, kSelectDocuments + "WHERE tenant = ?1 AND id = ?2");
    if (!query.with(tenant, id).step()) return std::nullopt;
    return read_document(query);
}

void SqliteTransaction::put_document(const Document& d) {
    // An upsert rather than INSERT OR REPLACE, which PostgreSQL lacks.
    Statement upsert(db_, "INSERT INTO documents (" + kDocumentFields + ") VALUES (" +
                              parameters(1, 10) + R"sql() ON CONFLICT (tenant, id) DO UPDATE SET
        (type, name, rev, revision, body, deleted, created_at, updated_at) =
        (excluded.type, excluded.name, excluded.rev, excluded.revision, excluded.body,
         excluded.deleted, excluded.created_at, excluded.updated_at))sql");
    upsert
        .with(d.tenant, d.id, d.type, d.name, d.rev, d.revision, d.body, d.deleted ? 1 : 0,
              d.created_at, d.updated_at)
        .run();
}

}  // namespace kompo::store
