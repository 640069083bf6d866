#pragma once
// HTTP clients for tests of `kompo serve`: synchronous calls over loopback (Boost.Beast
// underneath, kept out of this header). Every network operation has a deadline, so a hung
// server fails the test (std::runtime_error saying what happened) instead of hanging it.
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace kompo::test {

// Request headers by name (any case). An empty value removes a header the client would
// otherwise send (Host, Content-Type, User-Agent...), for tests of missing headers.
using HttpHeaders = std::map<std::string, std::string>;

// Deadline of each network operation (connect, each write, each read).
inline constexpr std::chrono::seconds kHttpTimeout{30};

struct HttpResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // lower-case names; repeats joined by ", "
    std::string body;

    // The body parsed as JSON; throws std::runtime_error quoting the body when it is not.
    nlohmann::json json() const;
    // The header's value ("" when absent); the name in any case.
    std::string header(const std::string& name) const;
    bool has_header(const std::string& name) const;
};

// The server answered with an unexpected status (e.g. a refused WebSocket upgrade).
class HttpStatusError : public std::runtime_error {
  public:
    HttpStatusError(const std::string& what, int status, std::string body)
        : std::runtime_error(what), status(status), body(std::move(body)) {}
    int status;
    std::string body;
};

// One request on a fresh connection to 127.0.0.1:port. Sets Host, User-Agent and, when the
// body is not empty, Content-Length and Content-Type: application/json unless given.
HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::string& body = "", const HttpHeaders& headers = {});

HttpResponse http_get(int port, const std::string& target, const HttpHeaders& headers = {});
HttpResponse http_delete(int port, const std::string& target, const HttpHeaders& headers = {});
HttpResponse http_post_json(int port, const std::string& target, const nlohmann::json& body,
                            const HttpHeaders& headers = {});
HttpResponse http_put_json(int port, const std::string& target, const nlohmann::json& body,
                           const HttpHeaders& headers = {});

// POSTs (or `method`s) the file's bytes as the raw request body, streamed from disk, with
// Content-Type: application/octet-stream unless given.
HttpResponse http_upload_file(int port, const std::string& target,
                              const std::filesystem::path& file, const HttpHeaders& headers = {},
                              const std::string& method = "POST");

// A keep-alive connection: several requests, one after another, on one TCP connection
// opened by the first (one object per thread; objects are independent). When the server
// answers with "Connection: close" the next request opens a new one (see connects()).
class HttpConnection {
  public:
    explicit HttpConnection(int port, std::chrono::milliseconds timeout = kHttpTimeout);
    ~HttpConnection();
    HttpConnection(HttpConnection&&) noexcept;
    HttpConnection& operator=(HttpConnection&&) noexcept;

    HttpResponse request(const std::string& method, const std::string& target,
                         const std::string& body = "", const HttpHeaders& headers = {});
    HttpResponse upload_file(const std::string& target, const std::filesystem::path& file,
                             const HttpHeaders& headers = {}, const std::string& method = "POST");
    // Whether the connection is open (the server did not ask to close it).
    bool is_open() const;
    // TCP connections opened so far (1 while keep-alive is honoured).
    int connects() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A raw TCP connection for malformed, partial or oversized requests. Whatever the server
// sends is collected in the background while the object waits in one of its calls.
class RawConnection {
  public:
    explicit RawConnection(int port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    // Writes all bytes; false when the server closed or reset the connection first.
    bool send(const std::string& bytes);
    // Reads until the server closes the connection; true when it did within `timeout`.
    // The connection stays usable when it did not.
    bool wait_closed(std::chrono::milliseconds timeout);
    // Reads until `text` has been received; true when it was within `timeout`.
    bool wait_received(const std::string& text, std::chrono::milliseconds timeout);
    // Everything received so far.
    const std::string& received() const;
    // The server closed (or reset) the connection.
    bool closed() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Sends `bytes` and returns what comes back until the server closes the connection, or
// what came back within `timeout` when it does not close it.
std::string raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout);

// Opens a connection, sends `partial_bytes` (e.g. half a request) and waits: true when the
// server closed the connection within `limit` (a check of the server's idle timeout).
bool server_closes_within(int port, const std::string& partial_bytes, std::chrono::seconds limit);

}  // namespace kompo::test
