// Every call into SQLite's C API that can fail goes through `fail`, which turns the code
// into the Error the rest of the program understands.
#include "store/sqlite_handles.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <limits>

namespace kompo::store {

namespace {

// The file system refused: the operator can act on it (space, permissions, path).
bool is_io(int primary_code) {
    switch (primary_code) {
        case SQLITE_CANTOPEN:
        case SQLITE_IOERR:
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_PERM:
        case SQLITE_NOTADB:
            return true;
        default:
            return false;
    }
}

[[noreturn]] void fail(sqlite3* db, int code) {
    const char* file = sqlite3_db_filename(db, "main");
    const std::string message =
        std::string("store: ") + (file ? file : "?") + ": " + sqlite3_errmsg(db);
    const int primary = code & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) throw Busy(message);
    if (is_io(primary)) throw Error::io(message);
    throw Error::internal(message);
}

}  // namespace

void CloseConnection::operator()(sqlite3* db) const {
    sqlite3_close_v2(db);
}

Connection open_connection(const std::string& path) {
    sqlite3* raw = nullptr;
    // NOMUTEX: a connection is used by one thread at a time (the writer under the store's
    // mutex, a reader while leased), so SQLite's own lock around every call is not needed.
    const int code =
        sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Connection db(raw);  // owned even when opening failed, as SQLite asks
    if (code != SQLITE_OK) {
        throw Error::io("store: cannot open " + path + ": " +
                        (raw ? sqlite3_errmsg(raw) : sqlite3_errstr(code)));
    }
    return db;
}

void execute(sqlite3* db, const std::string& sql) {
    const int code = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
    if (code != SQLITE_OK) fail(db, code);
}

void roll_back(sqlite3* db) noexcept {
    // SQLite ends the transaction itself after some errors (disk full, out of memory).
    if (!sqlite3_get_autocommit(db)) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

void Statement::Finalize::operator()(sqlite3_stmt* statement) const {
    sqlite3_finalize(statement);
}

namespace {

// A connection rarely holds more distinct statements than the store has queries (about
// sixty); the bound only keeps a bug that builds SQL from values from growing without end.
constexpr std::size_t kMaxCachedStatements = 256;

sqlite3_stmt* prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* raw = nullptr;
    const int code =
        sqlite3_prepare_v2(db, sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr);
    if (code != SQLITE_OK) {
        sqlite3_finalize(raw);
        fail(db, code);
    }
    return raw;
}

}  // namespace

StatementCache::~StatementCache() {
    for (auto& [sql, statements] : idle_) {
        for (auto* statement : statements) sqlite3_finalize(statement);
    }
}

std::pair<sqlite3_stmt*, const std::string*> StatementCache::take(const std::string& sql) {
    auto [found, added] = idle_.try_emplace(sql);
    auto& statements = found->second;
    if (statements.empty()) return {prepare(db_, sql), &found->first};
    auto* statement = statements.back();
    statements.pop_back();
    --count_;
    return {statement, &found->first};
}

void StatementCache::put_back(const std::string& sql, sqlite3_stmt* statement) noexcept {
    // The result codes repeat the last step's error, which was reported then.
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (count_ >= kMaxCachedStatements) {
        sqlite3_finalize(statement);
        return;
    }
    try {
        idle_.at(sql).push_back(statement);
        ++count_;
    } catch (...) {
        sqlite3_finalize(statement);
    }
}

Statement::Statement(sqlite3* db, const std::string& sql) : db_(db), statement_(prepare(db, sql)) {}

Statement::Statement(Db db, const std::string& sql) : db_(db) {
    auto [statement, key] = db.statements().take(sql);
    statement_.reset(statement);
    cache_ = &db.statements();
    sql_ = key;
}

Statement::~Statement() {
    if (cache_) cache_->put_back(*sql_, statement_.release());
}

void Statement::bind(int index, const std::string& text) {
    const int code = sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(),
                                         SQLITE_TRANSIENT, SQLITE_UTF8);
    if (code != SQLITE_OK) fail(db_, code);
}

void Statement::bind(int index, const char* text) {
    bind(index, std::string(text));
}

void Statement::bind(int index, const std::optional<std::string>& text) {
    if (text) return bind(index, *text);
    const int code = sqlite3_bind_null(statement_.get(), index);
    if (code != SQLITE_OK) fail(db_, code);
}

void Statement::bind(int index, std::int64_t number) {
    const int code = sqlite3_bind_int64(statement_.get(), index, number);
    if (code != SQLITE_OK) fail(db_, code);
}

bool Statement::step() {
    const int code = sqlite3_step(statement_.get());
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    fail(db_, code);
}

void Statement::run() {
    while (step()) {
    }
}

int Statement::changes() const {
    return sqlite3_changes(db_);
}

int Statement::columns() const {
    return sqlite3_column_count(statement_.get());
}

std::string Statement::text(int column) const {
    const auto* bytes = sqlite3_column_text(statement_.get(), column);
    if (!bytes) return {};
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
    return {reinterpret_cast<const char*>(bytes), size};
}

std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(statement_.get(), column);
}

std::optional<std::string> null_if_empty(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return text;
}

std::string parameters(int first, int last) {
    std::string list;
    for (int index = first; index <= last; ++index) {
        if (!list.empty()) list += ", ";
        list += "?" + std::to_string(index);
    }
    return list;
}

}  // namespace kompo::store
