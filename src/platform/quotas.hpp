#pragma once
// Each tenant's limits (configured defaults, or its own from `kompo quota set`) and what
// it uses of them. A request over a limit is refused before any work is accepted.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

#include "platform/config.hpp"
#include "platform/rows.hpp"

namespace kompo::platform {

struct QuotaLimits {
    std::int64_t storage_bytes = 0;
    std::int64_t concurrent_renders = 0;
    std::int64_t renders_per_day = 0;
    std::int64_t upload_bytes = 0;
};

struct QuotaUsage {
    std::int64_t storage_bytes = 0;
    std::int64_t running_renders = 0;  // queued or running
    std::int64_t renders_today = 0;    // since midnight UTC
};

// Which quota, and when it frees up (0: only when something is deleted or finishes).
class QuotaExceeded : public std::runtime_error {
  public:
    QuotaExceeded(const std::string& message, std::string quota, bool too_large,
                  std::int64_t retry_after_seconds)
        : std::runtime_error(message),
          quota(std::move(quota)),
          too_large(too_large),
          retry_after_seconds(retry_after_seconds) {}
    std::string quota;
    bool too_large;  // a size (413) rather than a rate (429)
    std::int64_t retry_after_seconds;
};

class Quotas {
  public:
    // `data_dir`: where tenants' remote copies are kept (media/<tenant>/.remote/), which
    // count towards their storage; empty: only their media documents count.
    Quotas(TenantStore& store, const QuotaSettings& settings, std::filesystem::path data_dir = {});

    QuotaLimits limits(const std::string& tenant) const;
    // Storage: the tenant's media and the remote sources fetched for its renders.
    QuotaUsage usage(const std::string& tenant) const;
    // What the storage quota has left (0 when over it).
    std::int64_t storage_left(const std::string& tenant) const;
    // `producer`: the role's higher render limits apply.
    void check_render_start(const std::string& tenant, bool producer, int renders = 1) const;
    // Checks, then runs `start` (which starts the renders) under one lock, so that requests
    // answered at the same time by this process cannot together go over the quota.
    template <class Start>
    auto start_renders(const std::string& tenant, bool producer, int renders, Start&& start) {
        std::lock_guard lock(*starting_);
        if (renders > 0) check_render_start(tenant, producer, renders);
        return start();
    }
    void check_upload(const std::string& tenant, std::int64_t bytes) const;
    // `kompo quota set`: a negative value keeps the configured default.
    void set(const Quota& quota);

  private:
    TenantStore& store_;
    std::filesystem::path data_dir_;
    QuotaLimits defaults_;
    std::int64_t producer_factor_;
    std::unique_ptr<std::mutex> starting_ = std::make_unique<std::mutex>();
};

}  // namespace kompo::platform
