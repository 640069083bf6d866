#pragma once
// Quotas of the assistant by tier (requests per minute and per day, tokens per request and
// per day) and what each user used of them, exported in /metrics. Kept in memory by the
// process that answers (a restart starts the day's counts again).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "assistant/guard.hpp"
#include "auth/principal.hpp"

namespace kompo::assistant {

// Milliseconds since the epoch; tests pass their own clock to cross midnight.
using Clock = std::function<std::int64_t()>;
Clock system_clock();

struct AssistantLimits {
    std::size_t max_input_bytes = 2000;
    std::int64_t requests_per_minute = 20;
    std::int64_t requests_per_day = 200;
    std::int64_t tokens_per_request = 4000;
    std::int64_t tokens_per_day = 100000;
    std::int64_t pro_factor = 5;    // producers and admins: this many times the above
    double cost_per_1k_tokens = 0;  // estimated cost (the model's price; 0 offline)
};

// "standard" (viewers, editors) or "pro" (producers, admins).
const char* tier_of(const auth::Principal& principal);

// A model-free estimate: about four bytes of English per token.
std::int64_t estimate_tokens(std::size_t bytes);

class UsageMeter {
  public:
    UsageMeter(AssistantLimits limits, Clock clock);

    // Counts the request when the caller is within every quota, else says which one.
    std::optional<Refusal> admit(const auth::Principal& caller, std::int64_t tokens);
    // Tokens a request used beyond its estimate (the model's answer), and its outcome.
    void charge(const auth::Principal& caller, std::int64_t tokens, bool refused);
    // Prometheus text: requests, refusals, tokens and estimated cost per user.
    std::string metrics_text() const;
    const AssistantLimits& limits() const { return limits_; }

  private:
    struct Usage {
        std::int64_t day = -1;
        std::int64_t requests_today = 0;
        std::int64_t tokens_today = 0;
        std::int64_t minute = -1;
        std::int64_t requests_this_minute = 0;
        std::uint64_t requests_total = 0;
        std::uint64_t refused_total = 0;
        std::uint64_t tokens_total = 0;
    };
    Usage& usage_of(const auth::Principal& caller, std::int64_t now);

    AssistantLimits limits_;
    Clock clock_;
    mutable std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, Usage> users_;  // (tenant, user name)
};

}  // namespace kompo::assistant
