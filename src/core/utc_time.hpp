#pragma once
// Times as people and logs read them: ISO 8601 in UTC.
#include <cstdint>
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
    std::string shown(text, std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts));
    if (with_millis) {  // by hand: every log line has one, and printf cost more than the rest
        const auto millis = static_cast<int>(millis_since_epoch % 1000);
        shown += '.';
        shown += static_cast<char>('0' + millis / 100);
        shown += static_cast<char>('0' + millis / 10 % 10);
        shown += static_cast<char>('0' + millis % 10);
    }
    shown += 'Z';
    return shown;
}

}  // namespace kompo
