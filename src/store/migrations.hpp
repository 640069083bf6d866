#pragma once
// The schema, as the ordered list of scripts that built it. A released script never
// changes: a new schema is a new script at the end.
#include <string>
#include <vector>

struct sqlite3;

namespace kompo::store {

// Script i (from 0) brings the schema from version i to version i + 1, as each backend
// spells it: the same versions, tables, columns, keys and indexes.
std::vector<std::string> sqlite_migrations();
std::vector<std::string> postgres_migrations();

// Runs `script` and records `version` in schema_version, unless that version is recorded
// already. The caller holds a write transaction, so that this happens once.
void apply_migration(sqlite3* db, int version, const std::string& script);

}  // namespace kompo::store
