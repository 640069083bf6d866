// The connections of a PostgresStore: at most `size` at once, reopened with backoff when
// the server went away.
#include <algorithm>
#include <thread>

#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kFirstPause{50};
constexpr milliseconds kLongestPause{2'000};

}  // namespace

PostgresPool::PostgresPool(std::string url, std::string shown_url, std::size_t size)
    : url_(std::move(url)),
      shown_url_(std::move(shown_url)),
      size_(std::max<std::size_t>(size, 1)) {}

PostgresPool::Lease::~Lease() {
    if (connection_) pool_->give_back(std::move(connection_));
}

void PostgresPool::Lease::drop() {
    connection_.reset();
    pool_->forget(true);
}

PostgresPool::Lease PostgresPool::acquire(Clock::time_point deadline) {
    {
        std::unique_lock lock(mutex_);
        freed_.wait(lock, [&] { return in_use_ < size_; });
        ++in_use_;
        if (!idle_.empty()) {
            auto connection = std::move(idle_.back());
            idle_.pop_back();
            return Lease(*this, std::move(connection));
        }
    }
    try {
        return Lease(*this, connect(deadline));
    } catch (...) {
        forget(false);
        throw;
    }
}

std::unique_ptr<pqxx::connection> PostgresPool::connect(Clock::time_point deadline) {
    auto pause = kFirstPause;
    for (;;) {
        try {
            return std::make_unique<pqxx::connection>(url_);
        } catch (const pqxx::broken_connection& error) {
            // Starting, restarting or out of connection slots: worth another try.
            if (Clock::now() + pause >= deadline) {
                throw Error::io("store: cannot reach " + shown_url_ + ": " + error.what());
            }
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, kLongestPause);
    }
}

void PostgresPool::give_back(std::unique_ptr<pqxx::connection> connection) {
    std::lock_guard lock(mutex_);
    --in_use_;
    idle_.push_back(std::move(connection));
    freed_.notify_one();
}

void PostgresPool::forget(bool close_idle) {
    std::lock_guard lock(mutex_);
    --in_use_;
    if (close_idle) idle_.clear();
    freed_.notify_one();
}

}  // namespace kompo::store
