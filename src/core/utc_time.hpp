#pragma once
// Times as people and logs read them: ISO 8601 in UTC.
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

namespace kompo {

// "2026-11-24T10:00:00Z", or "2026-11-24T10:00:00.123Z" with milliseconds, of a time in
// milliseconds since the epoch.
inline std::string utc_text(std::int64_t millis_since_epoch, bool with_millis = false) {
    const std::time_t seconds = millis_since_epoch / 1000;
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[40];
    const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
    if (with_millis) {
        std::snprintf(text + length, sizeof text - length, ".%03dZ",
                      static_cast<int>(millis_since_epoch % 1000));
    } else {
        std::snprintf(text + length, sizeof text - length, "Z");
    }
    return text;
}

}  // namespace kompo
