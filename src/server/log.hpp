#pragma once
// Structured logs: one JSON object per line on stdout (or a human line with
// log_format=text), with a timestamp and level. Safe to call from any thread.
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace spdlog {
class logger;
}

namespace kompo::server {

class Log {
  public:
    explicit Log(const std::string& format);
    ~Log();

    void info(std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
    void warn(std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
    void error(std::string_view message, const nlohmann::json& fields = nlohmann::json::object());

  private:
    void write(std::string_view level, std::string_view message, const nlohmann::json& fields);
    bool json_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace kompo::server
