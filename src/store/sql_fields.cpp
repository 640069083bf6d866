// The text forms the backends store alike.
#include "store/sql_fields.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>

namespace kompo::store {

namespace {

std::string json_string(const std::string& text) {
    std::string quoted = "\"";
    for (const char c : text) {
        if (static_cast<unsigned char>(c) < 0x20) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", static_cast<unsigned>(c));
            quoted += escape;
            continue;
        }
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
    }
    return quoted + '"';
}

}  // namespace

std::string needs_to_json(const std::vector<std::string>& needs) {
    std::string json = "[";
    for (const auto& name : needs) {
        if (json.size() > 1) json += ',';
        json += json_string(name);
    }
    return json + "]";
}

std::int64_t as_limit(std::size_t limit) {
    constexpr auto most = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(std::min(limit, most));
}

}  // namespace kompo::store
