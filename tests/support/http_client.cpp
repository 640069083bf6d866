#include "support/http_client.hpp"

#include "support/beast_client_detail.hpp"
#include "support/credentials.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace kompo::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

using namespace detail;

// The start of a body, for error messages.
std::string excerpt(const std::string& body) {
    constexpr std::size_t kMax = 4000;
    return body.size() <= kMax ? body : body.substr(0, kMax) + "...";
}

bool peer_gone(const beast::error_code& ec) {
    return ec == net::error::broken_pipe || ec == net::error::connection_reset ||
           ec == net::error::eof || ec == net::error::connection_aborted;
}

template <class Body>
http::request<Body> make_request(int port, const std::string& method, const std::string& target) {
    http::request<Body> req;
    const auto verb = http::string_to_verb(method);
    if (verb == http::verb::unknown) {
        req.method_string(method);
    } else {
        req.method(verb);
    }
    req.target(target);
    req.version(11);
    req.set(http::field::host, host_header(port));
    req.set(http::field::user_agent, "kompo-test");
    return req;
}

HttpResponse to_response(const http::response<http::string_body>& res) {
    HttpResponse out;
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    out.headers = lower_case_headers(res.base());
    return out;
}

bool interim(int status) {
    return status >= 100 && status < 200 && status != 101;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// HttpResponse

nlohmann::json HttpResponse::json() const {
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        throw std::runtime_error("response (status " + std::to_string(status) +
                                 ") is not JSON: " + e.what() + "; body: " + excerpt(body));
    }
}

std::string HttpResponse::header(const std::string& name) const {
    const auto it = headers.find(lower(name));
    return it == headers.end() ? std::string() : it->second;
}

bool HttpResponse::has_header(const std::string& name) const {
    return headers.count(lower(name)) > 0;
}

// ---------------------------------------------------------------------------------------
// HttpConnection

struct HttpConnection::Impl {
    Impl(int port, std::chrono::milliseconds timeout) : port(port), timeout(timeout) {}

    int port;
    std::chrono::milliseconds timeout;
    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    bool open = false;
    int connects = 0;
    std::string context;  // "GET /target", for error messages

    [[noreturn]] void fail(const std::string& step, const beast::error_code& ec) {
        open = false;
        throw std::runtime_error("HTTP " + context + " on " + host_header(port) + ": " + step +
                                 ": " + ec.message());
    }

    void connect() {
        if (connects > 0) stream.close();
        buffer.clear();
        stream.expires_after(timeout);
        const auto ec = run_op(
            ioc, [&](auto handler) { stream.async_connect(loopback(port), std::move(handler)); });
        if (ec) fail("connecting", ec);
        open = true;
        ++connects;
    }

    // Writes the request, one deadline per write. Returns the error when the server closed
    // the connection before taking it all (its response may still be readable).
    template <class Body>
    beast::error_code write(http::request<Body>& req) {
        http::request_serializer<Body> serializer{req};
        while (!serializer.is_done()) {
            stream.expires_after(timeout);
            const auto ec = run_op(ioc, [&](auto handler) {
                http::async_write_some(stream, serializer, std::move(handler));
            });
            if (peer_gone(ec)) return ec;
            if (ec) fail("sending the request", ec);
        }
        return {};
    }

    // Reads one response, one deadline per read.
    HttpResponse read(bool head) {
        http::response_parser<http::string_body> parser;
        parser.header_limit(1 << 20);
        parser.body_limit(boost::none);
        parser.skip(head);
        while (!parser.is_done()) {
            stream.expires_after(timeout);
            const auto ec = run_op(ioc, [&](auto handler) {
                http::async_read_some(stream, buffer, parser, std::move(handler));
            });
            if (ec) fail("reading the response", ec);
        }
        open = parser.get().keep_alive();
        return to_response(parser.get());
    }

    template <class Body>
    HttpResponse exchange(http::request<Body>& req) {
        context = std::string(req.method_string()) + " " + std::string(req.target());
        if (!open) connect();
        const auto write_error = write(req);
        try {
            HttpResponse res;
            do {
                res = read(req.method() == http::verb::head);
            } while (interim(res.status));
            return res;
        } catch (const std::runtime_error&) {
            if (write_error) fail("sending the request (and no response)", write_error);
            throw;
        }
    }
};

HttpConnection::HttpConnection(int port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(port, timeout)) {}

HttpConnection::~HttpConnection() = default;
HttpConnection::HttpConnection(HttpConnection&&) noexcept = default;
HttpConnection& HttpConnection::operator=(HttpConnection&&) noexcept = default;

HttpResponse HttpConnection::request(const std::string& method, const std::string& target,
                                     const std::string& body, const HttpHeaders& headers) {
    auto req = make_request<http::string_body>(impl_->port, method, target);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    apply_headers(req, with_credentials(impl_->port, headers));
    return impl_->exchange(req);
}

HttpResponse HttpConnection::upload_file(const std::string& target,
                                         const std::filesystem::path& file,
                                         const HttpHeaders& headers, const std::string& method) {
    auto req = make_request<http::file_body>(impl_->port, method, target);
    beast::error_code ec;
    req.body().open(file.c_str(), beast::file_mode::scan, ec);
    if (ec) throw std::runtime_error("cannot open " + file.string() + ": " + ec.message());
    req.set(http::field::content_type, "application/octet-stream");
    req.prepare_payload();
    apply_headers(req, with_credentials(impl_->port, headers));
    return impl_->exchange(req);
}

bool HttpConnection::is_open() const {
    return impl_->open;
}

int HttpConnection::connects() const {
    return impl_->connects;
}

// ---------------------------------------------------------------------------------------
// One-shot requests

HttpResponse http_request(int port, const std::string& method, const std::string& target,
                          const std::string& body, const HttpHeaders& headers) {
    return HttpConnection(port).request(method, target, body, headers);
}

HttpResponse http_get(int port, const std::string& target, const HttpHeaders& headers) {
    return http_request(port, "GET", target, "", headers);
}

HttpResponse http_delete(int port, const std::string& target, const HttpHeaders& headers) {
    return http_request(port, "DELETE", target, "", headers);
}

HttpResponse http_post_json(int port, const std::string& target, const nlohmann::json& body,
                            const HttpHeaders& headers) {
    return http_request(port, "POST", target, body.dump(), headers);
}

HttpResponse http_put_json(int port, const std::string& target, const nlohmann::json& body,
                           const HttpHeaders& headers) {
    return http_request(port, "PUT", target, body.dump(), headers);
}

HttpResponse http_upload_file(int port, const std::string& target,
                              const std::filesystem::path& file, const HttpHeaders& headers,
                              const std::string& method) {
    return HttpConnection(port).upload_file(target, file, headers, method);
}

// ---------------------------------------------------------------------------------------
// RawConnection

struct RawConnection::Impl {
    net::io_context ioc;
    tcp::socket socket{ioc};
    std::array<char, 16384> chunk{};
    std::string received;
    bool closed = false;

    ~Impl() {
        beast::error_code ignored;
        socket.close(ignored);
        // Lets the cancelled read finish while its handler's object still exists.
        ioc.restart();
        ioc.poll();
    }

    // Pumps until the operation storing into `result` completes; at the deadline closes
    // the socket (so that it completes before `result` goes) and returns false.
    bool await(std::optional<beast::error_code>& result) {
        const auto done = [&result] { return result.has_value(); };
        if (pump_until(ioc, Clock::now() + kHttpTimeout, done)) return true;
        beast::error_code ignored;
        socket.close(ignored);
        pump_until(ioc, Clock::now() + kHttpTimeout, done);
        return false;
    }

    void connect(int port) {
        const std::string where = "connecting to " + host_header(port) + ": ";
        std::optional<beast::error_code> result;
        socket.async_connect(loopback(port), [&result](beast::error_code ec) { result = ec; });
        if (!await(result)) throw std::runtime_error(where + "timed out");
        if (*result) throw std::runtime_error(where + result->message());
        start_read();
    }

    // Reads in the background (while a call pumps the io_context) until the server closes.
    void start_read() {
        socket.async_read_some(net::buffer(chunk), [this](beast::error_code ec, std::size_t n) {
            received.append(chunk.data(), n);
            if (ec) {
                closed = true;
                return;
            }
            start_read();
        });
    }

    bool send(const std::string& bytes) {
        std::optional<beast::error_code> result;
        net::async_write(socket, net::buffer(bytes),
                         [&result](beast::error_code ec, std::size_t) { result = ec; });
        if (!await(result)) throw std::runtime_error("raw send: timed out");
        if (peer_gone(*result)) return false;
        if (*result) throw std::runtime_error("raw send: " + result->message());
        return true;
    }
};

RawConnection::RawConnection(int port) : impl_(std::make_unique<Impl>()) {
    impl_->connect(port);
}

RawConnection::~RawConnection() = default;

bool RawConnection::send(const std::string& bytes) {
    return impl_->send(bytes);
}

bool RawConnection::wait_closed(std::chrono::milliseconds timeout) {
    return pump_until(impl_->ioc, Clock::now() + timeout, [this] { return impl_->closed; });
}

bool RawConnection::wait_received(const std::string& text, std::chrono::milliseconds timeout) {
    pump_until(impl_->ioc, Clock::now() + timeout,
               [&] { return impl_->closed || impl_->received.find(text) != std::string::npos; });
    return impl_->received.find(text) != std::string::npos;
}

const std::string& RawConnection::received() const {
    return impl_->received;
}

bool RawConnection::closed() const {
    return impl_->closed;
}

std::string raw_exchange(int port, const std::string& bytes, std::chrono::milliseconds timeout) {
    RawConnection connection(port);
    connection.send(bytes);
    connection.wait_closed(timeout);
    return connection.received();
}

bool server_closes_within(int port, const std::string& partial_bytes, std::chrono::seconds limit) {
    RawConnection connection(port);
    connection.send(partial_bytes);
    return connection.wait_closed(limit);
}

}  // namespace kompo::test
