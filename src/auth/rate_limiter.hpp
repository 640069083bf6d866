#pragma once
// Token buckets by key (a user, an address): `burst` requests at once, then `per_second`
// on average. Keys idle long enough to have refilled are forgotten, so memory stays
// bounded by the number of recently active keys.
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kompo::auth {

class RateLimiter {
  public:
    using Clock = std::chrono::steady_clock;

    RateLimiter(double per_second, double burst, std::size_t max_keys = 100'000);

    // Takes a token for `key`; false (and nothing taken) when its bucket is empty.
    bool allow(const std::string& key, Clock::time_point now = Clock::now());
    // Seconds until `key` has a token again (0 when it has one now).
    double wait_seconds(const std::string& key, Clock::time_point now = Clock::now());

  private:
    struct Bucket {
        double tokens;
        Clock::time_point at;
    };
    Bucket& refilled(const std::string& key, Clock::time_point now);
    void forget_full_buckets(Clock::time_point now);

    double per_second_;
    double burst_;
    std::size_t max_keys_;
    std::mutex mutex_;
    std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace kompo::auth
