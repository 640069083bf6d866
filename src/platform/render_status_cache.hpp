#pragma once
// The shown status of recently asked renders, each as it was at its last event: a bounded,
// least-recently-used map from render id to (last event seq, document). A render's status
// changes only in a transaction that also appends one of its events, so an entry whose
// seq is the render's newest is exactly what showing it again would write; a newer event
// makes the entry miss, and the next answer replaces it. Thread-safe.
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kompo::platform {

class RenderStatusCache {
  public:
    // At most `capacity` renders (at least one).
    explicit RenderStatusCache(std::size_t capacity);

    // The document shown at `seq` of render `id`; null when it was not kept (never shown,
    // shown at another seq, or pushed out by others since). Marks it most recently used.
    std::shared_ptr<const std::string> find(const std::string& id, std::int64_t seq);
    // Keeps `shown` as render `id` at `seq`, replacing what the render had (unless that
    // is of a newer seq), and drops the least recently used render beyond the capacity.
    void put(const std::string& id, std::int64_t seq, std::shared_ptr<const std::string> shown);

    std::size_t size() const;
    std::size_t capacity() const { return capacity_; }

  private:
    struct Entry {
        std::string id;
        std::int64_t seq = 0;
        std::shared_ptr<const std::string> shown;
    };
    using Order = std::list<Entry>;  // most recently used first

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    Order order_;
    std::unordered_map<std::string, Order::iterator> by_id_;
};

}  // namespace kompo::platform
