#include "platform/quotas.hpp"

#include "core/utc_time.hpp"
#include "platform/platform.hpp"

namespace kompo::platform {

namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;

Millis start_of_day(Millis now) {
    return now - now % kDay;
}

std::int64_t own_or(std::int64_t own, std::int64_t fallback) {
    return own >= 0 ? own : fallback;
}

std::string mib(std::int64_t bytes) {
    return std::to_string(bytes / (1024 * 1024)) + " MiB";
}

// The bytes of the files under `folder` (0 when there is none).
std::int64_t bytes_under(const std::filesystem::path& folder) {
    std::error_code ec;
    std::int64_t total = 0;
    for (auto it = std::filesystem::recursive_directory_iterator(folder, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it->is_regular_file(ec)) total += static_cast<std::int64_t>(it->file_size(ec));
    }
    return total;
}

}  // namespace

Quotas::Quotas(TenantStore& store, const QuotaSettings& settings, std::filesystem::path data_dir)
    : store_(store),
      data_dir_(std::move(data_dir)),
      defaults_{parse_size(settings.storage, "quotas.storage"), settings.concurrent_renders,
                settings.renders_per_day, parse_size(settings.upload, "quotas.upload")},
      producer_factor_(std::max(1, settings.producer_factor)) {}

QuotaLimits Quotas::limits(const std::string& tenant) const {
    std::optional<Quota> own;
    store_.read([&](TenantRows& tx) { own = tx.quota(tenant); });
    if (!own) return defaults_;
    return {own_or(own->storage_bytes, defaults_.storage_bytes),
            own_or(own->concurrent_renders, defaults_.concurrent_renders),
            own_or(own->renders_per_day, defaults_.renders_per_day),
            own_or(own->upload_bytes, defaults_.upload_bytes)};
}

QuotaUsage Quotas::usage(const std::string& tenant) const {
    QuotaUsage used;
    const auto today = start_of_day(now_millis());
    store_.read([&](TenantRows& tx) {
        used.storage_bytes = tx.media_bytes(tenant);
        used.running_renders = tx.count_executions_in(tenant, workflow::unfinished_states());
        used.renders_today = tx.count_executions_since(tenant, today);
    });
    if (!data_dir_.empty())
        used.storage_bytes += bytes_under(data_dir_ / "media" / tenant / ".remote");
    return used;
}

std::int64_t Quotas::storage_left(const std::string& tenant) const {
    return std::max<std::int64_t>(0, limits(tenant).storage_bytes - usage(tenant).storage_bytes);
}

void Quotas::check_render_start(const std::string& tenant, bool producer, int renders) const {
    const auto limit = limits(tenant);
    const auto used = usage(tenant);
    const auto factor = producer ? producer_factor_ : 1;
    if (used.running_renders + renders > limit.concurrent_renders * factor) {
        throw QuotaExceeded("quota concurrent_renders: " + std::to_string(used.running_renders) +
                                " renders are queued or running (limit " +
                                std::to_string(limit.concurrent_renders * factor) +
                                "); it frees up as soon as one finishes",
                            "concurrent_renders", false, 10);
    }
    if (used.renders_today + renders > limit.renders_per_day * factor) {
        const auto now = now_millis();
        const auto reset = start_of_day(now) + kDay;
        throw QuotaExceeded("quota renders_per_day: " + std::to_string(used.renders_today) +
                                " renders started today (limit " +
                                std::to_string(limit.renders_per_day * factor) + "); resets at " +
                                utc_text(reset),
                            "renders_per_day", false, (reset - now + 999) / 1000);
    }
}

void Quotas::check_upload(const std::string& tenant, std::int64_t bytes) const {
    const auto limit = limits(tenant);
    if (bytes > limit.upload_bytes) {
        throw QuotaExceeded("quota upload: " + mib(bytes) + " is more than one upload may be (" +
                                mib(limit.upload_bytes) + ")",
                            "upload", true, 0);
    }
    const auto used = usage(tenant).storage_bytes;
    if (used + bytes > limit.storage_bytes) {
        throw QuotaExceeded("quota storage: " + mib(used) + " of " + mib(limit.storage_bytes) +
                                " used; " + mib(bytes) +
                                " more do not fit (delete media to make room)",
                            "storage", true, 0);
    }
}

void Quotas::set(const Quota& quota) {
    store_.write([&](TenantRows& tx) { tx.put_quota(quota); });
}

}  // namespace kompo::platform
