#include "assistant/usage.hpp"

#include <chrono>
#include <sstream>

namespace kompo::assistant {

namespace {

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

bool is_pro(const auth::Principal& caller) {
    return caller.role == auth::Role::producer || caller.role == auth::Role::admin;
}

// Label values: quotes and backslashes escaped as Prometheus wants.
std::string label(const std::string& value) {
    std::string out;
    for (char c : value) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

Clock system_clock() {
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
}

const char* tier_of(const auth::Principal& caller) {
    return is_pro(caller) ? "pro" : "standard";
}

std::int64_t estimate_tokens(std::size_t bytes) {
    return static_cast<std::int64_t>((bytes + 3) / 4);
}

UsageMeter::UsageMeter(AssistantLimits limits, Clock clock)
    : limits_(limits), clock_(std::move(clock)) {}

UsageMeter::Usage& UsageMeter::usage_of(const auth::Principal& caller, std::int64_t now) {
    auto& usage = users_[{caller.tenant, caller.user_name}];
    if (usage.day != now / kDay) {
        usage.day = now / kDay;
        usage.requests_today = 0;
        usage.tokens_today = 0;
    }
    if (usage.minute != now / kMinute) {
        usage.minute = now / kMinute;
        usage.requests_this_minute = 0;
    }
    return usage;
}

std::optional<Refusal> UsageMeter::admit(const auth::Principal& caller, std::int64_t tokens) {
    const std::int64_t factor = is_pro(caller) ? limits_.pro_factor : 1;
    std::lock_guard lock(mutex_);
    auto& usage = usage_of(caller, clock_());
    std::optional<Refusal> refusal;
    if (tokens > limits_.tokens_per_request * factor)
        refusal = Refusal{"quota", "tokens_per_request"};
    else if (usage.requests_this_minute >= limits_.requests_per_minute * factor)
        refusal = Refusal{"rate", "requests_per_minute"};
    else if (usage.requests_today >= limits_.requests_per_day * factor)
        refusal = Refusal{"quota", "requests_per_day"};
    else if (usage.tokens_today + tokens > limits_.tokens_per_day * factor)
        refusal = Refusal{"quota", "tokens_per_day"};
    ++usage.requests_total;
    if (refusal) {
        ++usage.refused_total;
        return refusal;
    }
    ++usage.requests_this_minute;
    ++usage.requests_today;
    usage.tokens_today += tokens;
    usage.tokens_total += static_cast<std::uint64_t>(tokens);
    return std::nullopt;
}

void UsageMeter::charge(const auth::Principal& caller, std::int64_t tokens, bool refused) {
    std::lock_guard lock(mutex_);
    auto& usage = usage_of(caller, clock_());
    usage.tokens_today += tokens;
    usage.tokens_total += static_cast<std::uint64_t>(std::max<std::int64_t>(tokens, 0));
    if (refused) ++usage.refused_total;
}

std::string UsageMeter::metrics_text() const {
    std::ostringstream out;
    std::lock_guard lock(mutex_);
    const auto counter = [&](const char* name, const char* help, auto value) {
        out << "# HELP " << name << " " << help << "\n# TYPE " << name << " counter\n";
        for (const auto& [who, usage] : users_) {
            out << name << "{tenant=\"" << label(who.first) << "\",user=\"" << label(who.second)
                << "\"} " << value(usage) << "\n";
        }
    };
    counter("kompo_assistant_requests_total",
            "Assistant requests (MCP tool calls included) per user.",
            [](const Usage& u) { return u.requests_total; });
    counter("kompo_assistant_refusals_total",
            "Assistant requests refused (guard, domain lock, quota) per user.",
            [](const Usage& u) { return u.refused_total; });
    counter("kompo_assistant_tokens_total", "Tokens used (estimated offline) per user.",
            [](const Usage& u) { return u.tokens_total; });
    counter("kompo_assistant_cost_total", "Estimated cost of the tokens used per user.",
            [this](const Usage& u) {
                return static_cast<double>(u.tokens_total) / 1000 * limits_.cost_per_1k_tokens;
            });
    return out.str();
}

}  // namespace kompo::assistant
