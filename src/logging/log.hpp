#pragma once
// Structured logs: one JSON object per line on stdout (or a human line with
// log_format=text), with a timestamp and level, written before the call returns. Safe to
// call from any thread. The server's access and event lines and the workers' step lines
// (with execution and step ids) all go through one Log.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace spdlog {
class logger;
}

namespace kompo::logging {

// One answered HTTP request: the access log's line (built without a JSON document).
struct AccessRecord {
    std::string_view request_id;
    std::string_view method;
    std::string_view path;
    std::string_view route;
    unsigned status = 0;
    std::uint64_t bytes = 0;
    double ms = 0;
    std::string_view remote;
};

class Log {
  public:
    explicit Log(const std::string& format);
    ~Log();

    void info(std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
    void warn(std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
    void error(std::string_view message, const nlohmann::json& fields = nlohmann::json::object());
    // {"msg":"request", ...the record} at level info, written as the other lines are but
    // built without a JSON document: it is written for every request.
    void access(const AccessRecord& record);

  private:
    void write(std::string_view level, std::string_view message, const nlohmann::json& fields);
    bool json_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace kompo::logging
