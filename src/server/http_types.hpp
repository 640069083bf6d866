#pragma once
// What a route handler sees and returns. Handlers are plain functions of a parsed
// request: they never touch sockets, so every route is testable over a real connection
// and the network code stays in one place (http_session).
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "auth/principal.hpp"

namespace kompo::server {

namespace http = boost::beast::http;

struct Request {
    http::verb method = http::verb::get;
    std::string target;                         // as sent: path and query, encoded
    std::string path;                           // decoded
    std::map<std::string, std::string> query;   // decoded; a repeated name keeps the last
    std::map<std::string, std::string> params;  // the route pattern's {names}, decoded
    http::fields headers;
    std::string body;              // JSON routes: the whole body
    std::filesystem::path upload;  // upload routes: the file the body was streamed to
    std::uint64_t upload_bytes = 0;
    std::string request_id;
    std::string remote_address;
    std::string route;                         // the matched pattern: the label of logs and metrics
    std::optional<auth::Principal> principal;  // who asks: set by the gatekeeper

    // The caller: throws HttpError(401) when nobody signed in (a public route).
    const auth::Principal& caller() const;
    // The caller's tenant: every tenant-owned thing a handler touches is looked up in it.
    const std::string& tenant() const { return caller().tenant; }

    std::string header(http::field name) const;
    std::string header(const std::string& name) const;
    // The query parameter, or `fallback` when absent.
    std::string query_value(const std::string& name, const std::string& fallback = "") const;
    // The body as JSON; throws HttpError(400) naming the line and column when malformed.
    nlohmann::json json_body() const;
};

// A list's page size: `?limit=` from 1 to 500, 50 when absent; else HttpError(400).
std::size_t page_limit(const Request& request);

// A range of a file sent as the body: downloads, with or without an HTTP Range.
struct FileSlice {
    std::filesystem::path path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// `value` as Reply::json writes it: compact, text that is not UTF-8 replaced.
std::string json_text(const nlohmann::json& value);

struct Reply {
    http::status status = http::status::ok;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::optional<FileSlice> file;  // when set, sent instead of `body`

    Reply& header(std::string name, std::string value);

    static Reply json(http::status status, const nlohmann::json& value);
    // A document already written by json_text(): the bytes Reply::json would send.
    static Reply json_bytes(http::status status, std::string text);
    static Reply ordered_json(http::status status, const nlohmann::ordered_json& value);
    static Reply text(http::status status, std::string body, std::string content_type);
    // {"error": code, "message": message} plus optional extra members (e.g. "field").
    static Reply error(http::status status, const std::string& code, const std::string& message,
                       const nlohmann::json& extra = nlohmann::json::object());
};

// Thrown by handlers for an answer other than success; the session turns it into
// Reply::error. `extra` members are added to the error object.
class HttpError : public std::runtime_error {
  public:
    HttpError(http::status status, std::string code, const std::string& message,
              nlohmann::json extra = nlohmann::json::object())
        : std::runtime_error(message),
          status_(status),
          code_(std::move(code)),
          extra_(std::move(extra)) {}
    http::status status() const { return status_; }
    const std::string& code() const { return code_; }
    const nlohmann::json& extra() const { return extra_; }

  private:
    http::status status_;
    std::string code_;
    nlohmann::json extra_;
};

// What a handler's exception means to the client: HttpError as it says, kompo::Error by
// its kind (invalid input and bad media 422, io 503, internal 500), anything else 500.
Reply reply_for_exception(std::exception_ptr error);

}  // namespace kompo::server
