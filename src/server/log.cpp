#include "server/log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace kompo::server {

namespace {

std::string utc_timestamp() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const auto seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[40];
    const auto length = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(text + length, sizeof text - length, ".%03dZ", static_cast<int>(millis));
    return text;
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

}  // namespace kompo::server
