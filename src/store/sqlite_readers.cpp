#include "store/sqlite_readers.hpp"

#include <algorithm>

namespace kompo::store {

struct Readers::Reader {
    Connection connection;
    StatementCache statements;  // declared last: finalized before the connection closes
};

Readers::Readers(std::string path, std::chrono::milliseconds busy_timeout, std::size_t max_open)
    : path_(std::move(path)),
      busy_timeout_(busy_timeout),
      max_open_(std::max<std::size_t>(1, max_open)) {
    idle_.reserve(max_open_);  // so that giving one back never allocates
}

Readers::~Readers() = default;

Readers::Lease::Lease(Readers& readers, std::unique_ptr<Reader> reader)
    : readers_(readers), reader_(std::move(reader)) {}

Readers::Lease::~Lease() {
    readers_.give_back(std::move(reader_));
}

Db Readers::Lease::db() const {
    return Db(reader_->connection.get(), reader_->statements);
}

Readers::Lease Readers::acquire() {
    std::unique_lock lock(mutex_);
    given_back_.wait(lock, [&] { return !idle_.empty() || open_ < max_open_; });
    if (!idle_.empty()) {
        auto reader = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(reader));
    }
    ++open_;
    lock.unlock();
    try {
        return Lease(*this, open());
    } catch (...) {
        std::lock_guard relock(mutex_);
        --open_;
        given_back_.notify_one();
        throw;
    }
}

std::unique_ptr<Readers::Reader> Readers::open() const {
    auto connection = open_connection(path_);
    execute(connection.get(), "PRAGMA busy_timeout = " + std::to_string(busy_timeout_.count()));
    // Set once, not per read: changing a flag pragma expires every prepared statement.
    execute(connection.get(), "PRAGMA query_only = ON");
    auto* handle = connection.get();
    return std::unique_ptr<Reader>(new Reader{std::move(connection), StatementCache(handle)});
}

void Readers::give_back(std::unique_ptr<Reader> reader) noexcept {
    if (!reader) return;
    {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(reader));
    }
    given_back_.notify_one();
}

}  // namespace kompo::store
