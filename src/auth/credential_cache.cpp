#include "auth/credential_cache.hpp"

#include <algorithm>

namespace kompo::auth {

CredentialCache::CredentialCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(capacity, 1)) {}

std::optional<CredentialCache::Entry> CredentialCache::find(const std::string& hash,
                                                            std::int64_t revision) {
    const std::lock_guard lock(mutex_);
    if (revision != revision_) return std::nullopt;
    const auto found = by_hash_.find(hash);
    if (found == by_hash_.end()) return std::nullopt;
    return found->second;
}

void CredentialCache::put(const std::string& hash, std::int64_t revision, Entry entry) {
    const std::lock_guard lock(mutex_);
    if (revision < revision_) return;
    if (revision > revision_) {
        by_hash_.clear();
        revision_ = revision;
    }
    if (by_hash_.size() >= capacity_ && !by_hash_.contains(hash)) by_hash_.erase(by_hash_.begin());
    by_hash_.insert_or_assign(hash, std::move(entry));
}

std::size_t CredentialCache::size() const {
    const std::lock_guard lock(mutex_);
    return by_hash_.size();
}

}  // namespace kompo::auth
