#pragma once
// Owners of SQLite's handles and the few calls every query makes, so that no other file
// closes, finalizes or checks a return code by hand. sqlite3.h stays out of this header.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "store/sql_fields.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace kompo::store {

// Another connection holds a lock this one needs: the transaction is rerun, not failed.
class Busy : public Error {
  public:
    explicit Busy(const std::string& message) : Error(ErrorKind::internal, message) {}
};

struct CloseConnection {
    void operator()(sqlite3* db) const;
};
using Connection = std::unique_ptr<sqlite3, CloseConnection>;

// Opens the database file, creating it; Error(io) when it cannot. The connection must be
// used by one thread at a time.
Connection open_connection(const std::string& path);
// Runs one or more statements that return nothing worth reading.
void execute(sqlite3* db, const std::string& sql);
// Ends the open transaction, if any; for unwinding, so it never throws.
void roll_back(sqlite3* db) noexcept;

// The statements prepared on one connection, kept for reuse: preparing costs more than
// running the short queries the store makes (four fifths of reading a render's status).
// Used by one thread at a time, as its connection is; destroy it before the connection.
class StatementCache {
  public:
    explicit StatementCache(sqlite3* db) : db_(db) {}
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

  private:
    friend class Statement;
    // An idle statement of `sql` (prepared now when there is none) and the cache's own
    // copy of `sql`, which stays valid as long as the cache.
    std::pair<sqlite3_stmt*, const std::string*> take(const std::string& sql);
    // Reset and kept for the next `take`, or finalized when the cache is full.
    void put_back(const std::string& sql, sqlite3_stmt* statement) noexcept;

    sqlite3* db_;
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>> idle_;
    std::size_t count_ = 0;  // statements in idle_
};

// A connection as a transaction sees it: the handle (what SQLite's C API takes) and
// where its statements are kept.
class Db {
  public:
    Db(sqlite3* handle, StatementCache& statements) : handle_(handle), statements_(&statements) {}
    operator sqlite3*() const { return handle_; }  // NOLINT: a handle is what it is
    StatementCache& statements() const { return *statements_; }

  private:
    sqlite3* handle_;
    StatementCache* statements_;
};

// One prepared statement. Text is copied when bound, so temporaries are fine.
class Statement {
  public:
    // Prepared for this use only (migrations, one-off queries).
    Statement(sqlite3* db, const std::string& sql);
    // Taken from the connection's cache and given back, reset, when destroyed.
    Statement(Db db, const std::string& sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    void bind(int index, const std::string& text);
    void bind(int index, const char* text);
    void bind(int index, const std::optional<std::string>& text);  // nullopt: NULL
    void bind(int index, std::int64_t number);
    void bind(int index, int number) { bind(index, std::int64_t{number}); }
    // Binds the values to ?1, ?2, ... in order.
    template <typename... Values>
    Statement& with(const Values&... values) {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    bool step();  // false once there are no more rows
    void run();   // for statements that return no rows
    int changes() const;

    int columns() const;                     // of the rows it returns
    std::string text(int column) const;      // NULL reads as ""
    std::int64_t integer(int column) const;  // NULL reads as 0

  private:
    struct Finalize {
        void operator()(sqlite3_stmt* statement) const;
    };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, Finalize> statement_;
    StatementCache* cache_ = nullptr;   // set: statement_ goes back there
    const std::string* sql_ = nullptr;  // the cache's key for it
};

// SQL's NULL for an empty string: how optional unique columns say "none".
std::optional<std::string> null_if_empty(const std::string& text);
// "?first, ?first+1, ..., ?last": the parameters of a column list.
std::string parameters(int first, int last);

}  // namespace kompo::store
