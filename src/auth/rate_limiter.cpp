#include "auth/rate_limiter.hpp"

#include <algorithm>
#include <vector>

namespace kompo::auth {

RateLimiter::RateLimiter(double per_second, double burst, std::size_t max_keys)
    : per_second_(per_second), burst_(burst), max_keys_(max_keys) {}

RateLimiter::Bucket& RateLimiter::refilled(const std::string& key, Clock::time_point now) {
    if (buckets_.size() >= max_keys_) forget_full_buckets(now);
    auto [it, added] = buckets_.try_emplace(key, Bucket{burst_, now});
    auto& bucket = it->second;
    if (!added) {
        const std::chrono::duration<double> elapsed = now - bucket.at;
        bucket.tokens = std::min(burst_, bucket.tokens + elapsed.count() * per_second_);
        bucket.at = std::max(bucket.at, now);
    }
    return bucket;
}

// A full bucket is the same as no bucket; when even that frees nothing (an attack from
// very many keys) the oldest half goes, which can only make the limiter more lenient.
void RateLimiter::forget_full_buckets(Clock::time_point now) {
    std::erase_if(buckets_, [&](const auto& entry) {
        const std::chrono::duration<double> idle = now - entry.second.at;
        return entry.second.tokens + idle.count() * per_second_ >= burst_;
    });
    if (buckets_.size() < max_keys_) return;
    auto median = now;
    std::vector<Clock::time_point> times;
    for (const auto& entry : buckets_) times.push_back(entry.second.at);
    std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
    median = times[times.size() / 2];
    std::erase_if(buckets_, [&](const auto& entry) { return entry.second.at <= median; });
}

bool RateLimiter::allow(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    auto& bucket = refilled(key, now);
    if (bucket.tokens < 1.0) return false;
    bucket.tokens -= 1.0;
    return true;
}

double RateLimiter::wait_seconds(const std::string& key, Clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto& bucket = refilled(key, now);
    return bucket.tokens >= 1.0 ? 0.0 : (1.0 - bucket.tokens) / per_second_;
}

}  // namespace kompo::auth
