#pragma once
// Everything a tenant owns, read straight from a server's data folder (not through the
// API, which shows only what its code chooses to): its rows in every table of the store,
// the shared artifact index, and the bytes of its media, partial uploads and the artifact
// files. Two snapshots are equal when nothing of the tenant changed.
#include <filesystem>
#include <map>
#include <string>

namespace kompo::test {

// "table: row" or "file: path" -> the row's columns or the file's SHA-256.
using TenantSnapshot = std::map<std::string, std::string>;

TenantSnapshot tenant_snapshot(const std::filesystem::path& data_dir, const std::string& tenant);

}  // namespace kompo::test
