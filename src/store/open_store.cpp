// The one place that turns a --store url into a backend.
#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace kompo::store {

namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

bool is_postgres(const std::string& url) {
    return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

std::string sqlite_path(const std::string& url) {
    if (!url.starts_with(kSqliteScheme) || url.size() == kSqliteScheme.size()) {
        throw Error::invalid(
            "--store: \"" + url +
            "\" is not a store url (expected sqlite:PATH or postgres://USER@HOST/DATABASE)");
    }
    return url.substr(kSqliteScheme.size());
}

void create_parent_folder(const std::string& path) {
    const auto folder = std::filesystem::path(path).parent_path();
    if (folder.empty()) return;
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error) {
        throw Error::io("--store: cannot create the folder " + folder.string() + ": " +
                        error.message());
    }
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url) {
    if (is_postgres(url)) return std::make_unique<PostgresStore>(url);
    auto path = sqlite_path(url);
    create_parent_folder(path);
    return std::make_unique<SqliteStore>(std::move(path));
}

}  // namespace kompo::store
