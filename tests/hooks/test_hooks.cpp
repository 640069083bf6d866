// The test build `kompo-test`: test hooks from the environment (cli/test_hooks.hpp).
//   KOMPO_TEST_FAIL_STEPS="segment-1:2,join:1"  the first 2 attempts of segment-1 and the
//                                                first of join fail with a transient error
//   KOMPO_TEST_REMOTE_ALLOW_LOOPBACK=1           remote sources may come from loopback
//   KOMPO_TEST_STATUS_POLL_MS=600000             `kompo status --watch` reads again only when
//                                                the store announces a change (or after that)
#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>

#include "cli/test_hooks.hpp"

namespace kompo::cli {

namespace {

std::map<std::string, int> failing_steps(const std::string& text) {
    std::map<std::string, int> failures;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const auto item = text.substr(start, end - start);
        const auto colon = item.rfind(':');
        if (colon != std::string::npos) {
            failures[item.substr(0, colon)] = std::atoi(item.c_str() + colon + 1);
        }
        start = end + 1;
    }
    return failures;
}

}  // namespace

worker::TestHooks test_hooks() {
    worker::TestHooks hooks;
    if (const char* faults = std::getenv("KOMPO_TEST_FAIL_STEPS")) {
        hooks.failing_steps = failing_steps(faults);
    }
    const char* loopback = std::getenv("KOMPO_TEST_REMOTE_ALLOW_LOOPBACK");
    hooks.remote_loopback = loopback && std::string(loopback) == "1";
    return hooks;
}

std::chrono::milliseconds status_poll(std::chrono::milliseconds usual) {
    const char* poll = std::getenv("KOMPO_TEST_STATUS_POLL_MS");
    return poll ? std::chrono::milliseconds(std::atoll(poll)) : usual;
}

}  // namespace kompo::cli
