#include "logging/log.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "core/utc_time.hpp"

namespace kompo::logging {

namespace {

std::string utc_timestamp() {
    using namespace std::chrono;
    return utc_text(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(),
                    true);
}

// The length of the well-formed UTF-8 sequence at text[at]; 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t at) {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned lead = byte(at);
    if (lead < 0x80) return 1;
    std::size_t length = 0;
    unsigned code = 0;
    unsigned least = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2, code = lead & 0x1F, least = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3, code = lead & 0x0F, least = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4, code = lead & 0x07, least = 0x10000;
    } else {
        return 0;
    }
    if (at + length > text.size()) return 0;
    for (std::size_t i = 1; i < length; ++i) {
        if ((byte(at + i) & 0xC0) != 0x80) return 0;
        code = (code << 6) | (byte(at + i) & 0x3F);
    }
    const bool surrogate = code >= 0xD800 && code <= 0xDFFF;
    return code < least || code > 0x10FFFF || surrogate ? 0 : length;
}

// `text` as a JSON string, as nlohmann's dump with error_handler_t::replace writes it: a
// byte that does not start well-formed UTF-8 becomes U+FFFD (a client's path can be
// anything).
void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    for (std::size_t at = 0; at < text.size();) {
        const unsigned char c = static_cast<unsigned char>(text[at]);
        if (c >= 0x80) {
            const auto length = utf8_length(text, at);
            out.append(length ? text.substr(at, length) : std::string_view("\xEF\xBF\xBD"));
            at += length ? length : 1;
            continue;
        }
        ++at;
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
}

std::string milliseconds_text(double ms) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, ms, std::chars_format::fixed, 3).ptr;
    return std::string(text, end);
}

}  // namespace

Log::Log(const std::string& format)
    : json_(format != "text"),
      logger_(std::make_shared<spdlog::logger>("kompo",
                                               std::make_shared<spdlog::sinks::stdout_sink_mt>())) {
    logger_->set_pattern("%v");
    logger_->flush_on(spdlog::level::trace);
}

Log::~Log() = default;

void Log::info(std::string_view message, const nlohmann::json& fields) {
    write("info", message, fields);
}

void Log::warn(std::string_view message, const nlohmann::json& fields) {
    write("warn", message, fields);
}

void Log::error(std::string_view message, const nlohmann::json& fields) {
    write("error", message, fields);
}

void Log::access(const AccessRecord& r) {
    // The fields in the order the other lines have theirs (by name).
    std::string line;
    line.reserve(256 + r.path.size());
    if (json_) {
        line += "{\"ts\":\"" + utc_timestamp() + "\",\"level\":\"info\",\"msg\":\"request\"";
        line += ",\"bytes\":" + std::to_string(r.bytes) + ",\"method\":";
        append_json_string(line, r.method);
        line += ",\"ms\":" + milliseconds_text(r.ms) + ",\"path\":";
        append_json_string(line, r.path);
        line += ",\"remote\":";
        append_json_string(line, r.remote);
        line += ",\"request_id\":";
        append_json_string(line, r.request_id);
        line += ",\"route\":";
        append_json_string(line, r.route);
        line += ",\"status\":" + std::to_string(r.status) + "}";
    } else {
        line += utc_timestamp() + " info request bytes=" + std::to_string(r.bytes);
        line += " method=" + std::string(r.method) + " ms=" + milliseconds_text(r.ms);
        line += " path=" + std::string(r.path) + " remote=" + std::string(r.remote);
        line += " request_id=" + std::string(r.request_id) + " route=" + std::string(r.route);
        line += " status=" + std::to_string(r.status);
    }
    logger_->info(line);
}

void Log::write(std::string_view level, std::string_view message, const nlohmann::json& fields) {
    if (json_) {
        nlohmann::ordered_json line{{"ts", utc_timestamp()}, {"level", level}, {"msg", message}};
        for (const auto& [key, value] : fields.items()) line[key] = value;
        logger_->info(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        return;
    }
    std::string line = utc_timestamp() + " " + std::string(level) + " " + std::string(message);
    for (const auto& [key, value] : fields.items()) {
        line += " " + key + "=" + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    logger_->info(line);
}

}  // namespace kompo::logging
