#pragma once
// One HTTP connection, after Beast's advanced server: the session owns itself through
// shared_from_this in every pending operation, runs on its own strand, reads a header,
// then a body of the kind its route asks for (JSON in memory, uploads streamed to a
// file) under size and time limits, runs the handler on the handler pool (or, for a
// route that says it never blocks, at once on its strand), writes the reply and loops
// while keep-alive holds.
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "auth/client_address.hpp"
#include "platform/config.hpp"
#include "server/connections.hpp"
#include "server/log.hpp"
#include "server/router.hpp"

namespace kompo::platform {
struct Platform;
}

namespace kompo::server {

// Told about every answered request: metrics.
class RequestObserver {
  public:
    virtual ~RequestObserver() = default;
    virtual void observe(const std::string& route, const std::string& method, unsigned status,
                         double seconds) = 0;
};

struct SessionContext {
    const platform::ServerSettings& settings;
    const Router& router;
    Connections& connections;
    Log& log;
    boost::asio::thread_pool& handlers;
    std::filesystem::path upload_dir;  // where upload bodies are streamed to
    RequestObserver* observer = nullptr;
    const auth::TrustedProxies* proxies = nullptr;  // who the client is behind a proxy
    // Whose store an inline route's guard and handler read from one snapshot.
    platform::Platform* platform = nullptr;
};

class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(boost::asio::ip::tcp::socket socket, SessionContext& context);
    ~HttpSession() override;

    void start();
    void shut_down() override;

  private:
    void read_header();
    void on_header(boost::beast::error_code ec);
    bool prepare_request();
    void read_body();
    void continue_then_read_body();
    void on_body(boost::beast::error_code ec);
    void hand_over_stream();
    void pass_stream_on();
    void run_handler();
    Reply answer();  // the route's reply, or the one its exception stands for
    Reply answer_reading_together();
    void send(Reply reply);
    void reject(http::status status, const std::string& code, const std::string& message);
    void on_written(bool keep_alive, boost::beast::error_code ec, std::size_t bytes);
    void close();
    std::chrono::steady_clock::duration body_time_limit() const;

    // The connection's strand, kept apart from stream_, which is handed over to an event
    // stream while shut_down may still be posting here.
    boost::asio::any_io_executor strand_;
    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    SessionContext& context_;
    // The peer's address, asked of the socket once: it does not change, and asking cost a
    // system call per request.
    std::string peer_address_;
    std::optional<http::request_parser<http::empty_body>> header_;
    std::optional<http::request_parser<http::string_body>> json_body_;
    std::optional<http::request_parser<http::file_body>> upload_body_;
    Request request_;
    RouteMatch match_;
    unsigned status_ = 0;
    unsigned version_ = 11;
    bool client_keep_alive_ = false;
    std::chrono::steady_clock::time_point started_;
    bool waiting_for_request_ = true;
    bool shutting_down_ = false;
    bool first_request_ = true;
};

}  // namespace kompo::server
