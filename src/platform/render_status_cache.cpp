#include "platform/render_status_cache.hpp"

#include <algorithm>

namespace kompo::platform {

RenderStatusCache::RenderStatusCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::shared_ptr<const std::string> RenderStatusCache::find(const std::string& id,
                                                           std::int64_t seq) {
    const std::lock_guard lock(mutex_);
    const auto found = by_id_.find(id);
    if (found == by_id_.end() || found->second->seq != seq) return nullptr;
    order_.splice(order_.begin(), order_, found->second);
    return found->second->shown;
}

void RenderStatusCache::put(const std::string& id, std::int64_t seq,
                            std::shared_ptr<const std::string> shown) {
    const std::lock_guard lock(mutex_);
    if (const auto found = by_id_.find(id); found != by_id_.end()) {
        // Two answers made at once: the one of the newer event stays.
        if (found->second->seq > seq) return;
        found->second->seq = seq;
        found->second->shown = std::move(shown);
        order_.splice(order_.begin(), order_, found->second);
        return;
    }
    order_.push_front(Entry{id, seq, std::move(shown)});
    by_id_.emplace(id, order_.begin());
    if (order_.size() > capacity_) {
        by_id_.erase(order_.back().id);
        order_.pop_back();
    }
}

std::size_t RenderStatusCache::size() const {
    const std::lock_guard lock(mutex_);
    return order_.size();
}

}  // namespace kompo::platform
