#pragma once
// The open connections, so that a shutdown can reach every one of them and a flood of
// connections is refused at `max_connections`.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace kompo::server {

// One connection (HTTP, WebSocket, event stream). `shut_down` may be called from any
// thread: it asks the connection to finish what it is answering and close.
class Connection {
  public:
    virtual ~Connection() = default;
    virtual void shut_down() = 0;
};

class Connections {
  public:
    explicit Connections(std::size_t max_connections) : max_(max_connections) {}

    // False when full or shutting down: the caller closes the connection instead.
    bool add(const std::shared_ptr<Connection>& connection);
    void remove(const Connection* connection);
    std::size_t count() const;
    // Stops admitting, then asks every connection to close.
    void shut_down_all();
    bool shutting_down() const;
    // True when every connection has closed before `deadline`.
    bool wait_until_empty(std::chrono::steady_clock::time_point deadline);

  private:
    std::size_t max_;
    mutable std::mutex mutex_;
    std::condition_variable emptied_;
    bool shutting_down_ = false;
    std::unordered_map<const Connection*, std::weak_ptr<Connection>> open_;
};

}  // namespace kompo::server
