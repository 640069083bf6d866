#include "support/tenant_snapshot.hpp"

#include <sqlite3.h>

#include <array>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <vector>

#include <openssl/evp.h>

namespace kompo::test {

namespace fs = std::filesystem;

namespace {

// The tenant's rows, table by table: `?1` is the tenant.
constexpr std::array<std::pair<const char*, const char*>, 10> kTenantRows{{
    {"documents", "SELECT * FROM documents WHERE tenant = ?1"},
    {"executions", "SELECT * FROM executions WHERE tenant = ?1"},
    {"steps",
     "SELECT * FROM steps WHERE execution_id IN (SELECT id FROM executions WHERE tenant = ?1)"},
    {"events",
     "SELECT * FROM events WHERE execution_id IN (SELECT id FROM executions WHERE tenant = ?1)"},
    {"memberships", "SELECT * FROM memberships WHERE tenant = ?1"},
    {"users",
     "SELECT * FROM users WHERE id IN (SELECT user_id FROM memberships WHERE tenant = ?1)"},
    {"credentials", "SELECT * FROM credentials WHERE tenant = ?1"},
    {"audit", "SELECT * FROM audit WHERE tenant = ?1"},
    {"quotas", "SELECT * FROM quotas WHERE tenant = ?1"},
    // Shared by every tenant; a rival's request must not evict, touch or add to it.
    {"artifacts", "SELECT * FROM artifacts"},
}};

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};

void add_rows(sqlite3* db, const char* table, const char* sql, const std::string& tenant,
              TenantSnapshot& into) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
        throw std::runtime_error(std::string(table) + ": " + sqlite3_errmsg(db));
    }
    std::unique_ptr<sqlite3_stmt, FinalizeStatement> statement(raw);
    sqlite3_bind_text(raw, 1, tenant.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(raw) == SQLITE_ROW) {
        std::string columns;
        for (int i = 0; i < sqlite3_column_count(raw); ++i) {
            const auto* text = sqlite3_column_text(raw, i);
            columns += std::string(sqlite3_column_name(raw, i)) + "=" +
                       (text ? reinterpret_cast<const char*>(text) : "NULL") + "\x1f";
        }
        // Rows are keyed by their content: an order that changes is no change.
        into[std::string(table) + ": " + columns] += "1";
    }
}

std::string sha256_of(const fs::path& file) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
    std::ifstream in(file, std::ios::binary);
    std::vector<char> buffer(1 << 16);
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount()) {
        EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned length = 0;
    EVP_DigestFinal_ex(ctx.get(), digest.data(), &length);
    std::string hex;
    for (unsigned i = 0; i < length; ++i) {
        static constexpr char kDigits[] = "0123456789abcdef";
        hex += kDigits[digest[i] >> 4];
        hex += kDigits[digest[i] & 15];
    }
    return hex;
}

void add_files(const fs::path& data_dir, const fs::path& folder, TenantSnapshot& into) {
    if (!fs::exists(folder)) return;
    for (const auto& entry : fs::recursive_directory_iterator(folder)) {
        if (!entry.is_regular_file()) continue;
        into["file: " + fs::relative(entry.path(), data_dir).string()] = sha256_of(entry.path());
    }
}

}  // namespace

TenantSnapshot tenant_snapshot(const fs::path& data_dir, const std::string& tenant) {
    TenantSnapshot snapshot;
    sqlite3* raw = nullptr;
    const auto db_path = (data_dir / "kompo.db").string();
    const int opened = sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, CloseDb> db(raw);
    if (opened != SQLITE_OK) throw std::runtime_error(db_path + ": " + sqlite3_errmsg(raw));
    sqlite3_busy_timeout(raw, 10'000);
    for (const auto& [table, sql] : kTenantRows) add_rows(raw, table, sql, tenant, snapshot);
    add_files(data_dir, data_dir / "media" / tenant, snapshot);
    add_files(data_dir, data_dir / "uploads" / "partial" / tenant, snapshot);
    add_files(data_dir, data_dir / "artifacts", snapshot);
    return snapshot;
}

}  // namespace kompo::test
