#include "server/connections.hpp"

#include <vector>

namespace kompo::server {

bool Connections::add(const std::shared_ptr<Connection>& connection) {
    std::lock_guard lock(mutex_);
    if (shutting_down_ || open_.size() >= max_) return false;
    open_.emplace(connection.get(), connection);
    return true;
}

void Connections::remove(const Connection* connection) {
    std::lock_guard lock(mutex_);
    open_.erase(connection);
    if (open_.empty()) emptied_.notify_all();
}

std::size_t Connections::count() const {
    std::lock_guard lock(mutex_);
    return open_.size();
}

void Connections::shut_down_all() {
    std::vector<std::shared_ptr<Connection>> alive;
    {
        std::lock_guard lock(mutex_);
        shutting_down_ = true;
        for (auto& [key, weak] : open_) {
            if (auto connection = weak.lock()) alive.push_back(std::move(connection));
        }
    }
    for (auto& connection : alive) connection->shut_down();
}

bool Connections::shutting_down() const {
    std::lock_guard lock(mutex_);
    return shutting_down_;
}

bool Connections::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return emptied_.wait_until(lock, deadline, [this] { return open_.empty(); });
}

}  // namespace kompo::server
