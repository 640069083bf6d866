#pragma once
// Text from a token or key set, made safe to put in a one-line message (internal).
#include <string>
#include <string_view>

namespace kompo::auth {

// At most `limit` bytes; anything but printable ASCII becomes '?', so a hostile value
// cannot break a log line or smuggle control characters.
inline std::string shown(std::string_view text, std::size_t limit = 64) {
    std::string out;
    for (const char c : text.substr(0, limit)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > limit) out += "...";
    return out;
}

}  // namespace kompo::auth
