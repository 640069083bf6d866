#pragma once
// Credentials this process has signed in with, each kept under the accounts revision it
// was read at (AccountRows::accounts_revision). While the store's revision is still that
// one, nobody (no process, no replica) has committed a revocation, a changed expiry or
// role, or a disabled user since, so the principal read then is the principal now; a
// newer revision empties the cache, and the next request reads the store again. Keyed by
// the secret's hash: no secret is kept. Bounded; thread-safe.
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/principal.hpp"
#include "core/clock.hpp"

namespace kompo::auth {

class CredentialCache {
  public:
    struct Entry {
        Principal principal;
        Millis expires_at = 0;    // the credential's; 0: never
        Millis last_used_at = 0;  // as stored
    };

    // At most `capacity` credentials (at least one).
    explicit CredentialCache(std::size_t capacity);

    // The entry of `hash` when it was kept at `revision`; nullopt otherwise.
    std::optional<Entry> find(const std::string& hash, std::int64_t revision);
    // Keeps `entry` as read at `revision`. Forgets everything of an older revision first;
    // ignored when the cache already holds a newer one (`entry` was read before it). When
    // full, one entry makes room.
    void put(const std::string& hash, std::int64_t revision, Entry entry);

    std::size_t size() const;

  private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::int64_t revision_ = -1;  // of every entry
    std::unordered_map<std::string, Entry> by_hash_;
};

}  // namespace kompo::auth
