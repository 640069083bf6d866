#include "support/ws_client.hpp"

#include "support/beast_client_detail.hpp"
#include "support/credentials.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <functional>
#include <map>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace kompo::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

using namespace detail;

std::string ms(std::chrono::milliseconds timeout) {
    return std::to_string(timeout.count()) + " ms";
}

// The text/event-stream format (HTML Living Standard, "Server-sent events", parsing an
// event stream): lines end with CRLF, LF or CR; a blank line dispatches the event.
class SseParser {
  public:
    void feed(std::string_view bytes, std::deque<SseEvent>& out) {
        for (const char c : bytes) {
            if (skip_lf_) {
                skip_lf_ = false;
                if (c == '\n') continue;
            }
            if (c == '\r' || c == '\n') {
                skip_lf_ = c == '\r';
                line(out);
                pending_.clear();
            } else {
                pending_.push_back(c);
            }
        }
    }

  private:
    void line(std::deque<SseEvent>& out) {
        std::string_view text = pending_;
        if (first_line_) {
            first_line_ = false;
            if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // BOM
        }
        if (text.empty()) return dispatch(out);
        if (text.front() == ':') return;  // comment
        const auto colon = text.find(':');
        std::string_view value = colon == text.npos ? "" : text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        field(text.substr(0, colon), value);
    }

    void field(std::string_view name, std::string_view value) {
        if (name == "event") {
            event_ = value;
        } else if (name == "data") {
            data_.append(value).push_back('\n');
        } else if (name == "id" && value.find('\0') == value.npos) {
            last_id_ = value;
        }  // "retry" and unknown fields: ignored
    }

    void dispatch(std::deque<SseEvent>& out) {
        if (!data_.empty()) {
            data_.pop_back();
            out.push_back({last_id_, event_.empty() ? "message" : event_, data_});
        }
        data_.clear();
        event_.clear();
    }

    std::string pending_;
    bool skip_lf_ = false;
    bool first_line_ = true;
    std::string last_id_;
    std::string event_;
    std::string data_;
};

}  // namespace

// ---------------------------------------------------------------------------------------
// WsClient

struct WsClient::Impl {
    net::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
    beast::flat_buffer buffer;
    std::deque<std::string> messages;
    bool opened = false;  // the handshake succeeded
    bool ended = false;
    bool close_requested = false;
    beast::error_code end_error;
    std::string where;  // ws://host/target, for messages
    HttpResponse handshake_response;

    ~Impl() {
        if (opened && !ended) {
            try {
                close();
            } catch (const std::exception&) {
                // Tearing down anyway.
            }
        }
        // Lets cancelled operations finish while their objects exist (timers still pending
        // go with the io_context).
        beast::get_lowest_layer(ws).close();
        ioc.restart();
        ioc.poll();
    }

    // As in Beast's WebSocket client example: TCP connect under the stream's timer, then
    // the websocket layer's own (suggested client) timeouts for the handshake.
    void connect(int port, const std::string& target, const HttpHeaders& headers) {
        where = "ws://" + host_header(port) + target;
        auto& tcp_layer = beast::get_lowest_layer(ws);
        tcp_layer.expires_after(kHttpTimeout);
        auto ec = run_op(ioc, [&](auto handler) {
            tcp_layer.async_connect(loopback(port), std::move(handler));
        });
        if (ec) throw std::runtime_error(where + ": connecting: " + ec.message());
        tcp_layer.expires_never();
        ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
        ws.set_option(websocket::stream_base::decorator(
            [headers = with_credentials(port, headers)](websocket::request_type& req) {
                req.set(http::field::user_agent, "kompo-test");
                apply_headers(req, headers);
            }));
        handshake(port, target);
        opened = true;
        start_read();
    }

    void handshake(int port, const std::string& target) {
        websocket::response_type res;
        const auto ec = run_op(ioc, [&](auto handler) {
            ws.async_handshake(res, host_header(port), target, std::move(handler));
        });
        if (ec == websocket::error::upgrade_declined) {
            const int status = static_cast<int>(res.result_int());
            throw HttpStatusError(where + ": upgrade refused with status " +
                                      std::to_string(status) + ": " + res.body(),
                                  status, res.body());
        }
        if (ec) throw std::runtime_error(where + ": handshake: " + ec.message());
        handshake_response.status = static_cast<int>(res.result_int());
        handshake_response.headers = lower_case_headers(res);
    }

    // Reads in the background (while a call pumps the io_context) until the end.
    void start_read() {
        ws.async_read(buffer, [this](beast::error_code ec, std::size_t) {
            if (ec) {
                ended = true;
                end_error = ec;
                return;
            }
            messages.push_back(beast::buffers_to_string(buffer.data()));
            buffer.consume(buffer.size());
            start_read();
        });
    }

    bool pump(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
        return pump_until(ioc, Clock::now() + timeout, done);
    }

    // Waits for an operation storing into `result`; at the deadline closes the socket (so
    // that it completes before `result` goes) and throws.
    void await(std::optional<beast::error_code>& result, const std::string& step) {
        if (pump(kHttpTimeout, [&] { return result.has_value(); })) return;
        beast::get_lowest_layer(ws).close();
        pump(kHttpTimeout, [&] { return result.has_value(); });
        throw std::runtime_error(where + ": " + step + ": timed out");
    }

    void send(const std::string& text) {
        ws.text(true);
        std::optional<beast::error_code> result;
        ws.async_write(net::buffer(text),
                       [&result](beast::error_code ec, std::size_t) { result = ec; });
        await(result, "sending");
        if (*result) throw std::runtime_error(where + ": sending: " + result->message());
    }

    void close() {
        if (!opened || ended || close_requested) return;
        close_requested = true;
        std::optional<beast::error_code> result;
        ws.async_close(websocket::close_code::normal,
                       [&result](beast::error_code ec) { result = ec; });
        await(result, "closing");
        // The pending read ends when the server's close frame arrives.
        pump(kHttpTimeout, [this] { return ended; });
    }

    std::string end_description() const {
        const auto& reason = ws.reason();
        std::string text =
            where + (close_requested ? ": closed by close()" : ": closed by the server");
        if (reason.code != websocket::close_code::none) {
            return text + " with code " + std::to_string(reason.code) + " reason '" +
                   std::string(reason.reason.c_str()) + "'";
        }
        return close_requested ? text : text + " without a close frame: " + end_error.message();
    }
};

WsClient::WsClient(int port, const std::string& target, const HttpHeaders& headers)
    : impl_(std::make_unique<Impl>()) {
    impl_->connect(port, target, headers);
}

WsClient::~WsClient() = default;

std::optional<std::string> WsClient::read_text(std::chrono::milliseconds timeout) {
    impl_->pump(timeout, [this] { return !impl_->messages.empty() || impl_->ended; });
    if (!impl_->messages.empty()) {
        std::string message = std::move(impl_->messages.front());
        impl_->messages.pop_front();
        return message;
    }
    if (impl_->ended) throw std::runtime_error(impl_->end_description());
    return std::nullopt;
}

std::string WsClient::expect_text(std::chrono::milliseconds timeout) {
    auto message = read_text(timeout);
    if (!message) throw std::runtime_error(impl_->where + ": no message within " + ms(timeout));
    return *message;
}

void WsClient::send_text(const std::string& text) {
    impl_->send(text);
}

void WsClient::close() {
    impl_->close();
}

bool WsClient::wait_closed(std::chrono::milliseconds timeout) {
    return impl_->pump(timeout, [this] { return impl_->ended; });
}

bool WsClient::closed_by_server() const {
    return impl_->ended && !impl_->close_requested;
}

bool WsClient::closed() const {
    return impl_->ended;
}

std::optional<int> WsClient::close_code() const {
    const auto& reason = impl_->ws.reason();
    if (reason.code == websocket::close_code::none) return std::nullopt;
    return static_cast<int>(reason.code);
}

std::string WsClient::close_reason() const {
    return std::string(impl_->ws.reason().reason.c_str());
}

// ---------------------------------------------------------------------------------------
// SseClient

struct SseClient::Impl {
    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
    http::response_parser<http::buffer_body> parser;
    std::array<char, 8192> chunk{};
    HttpResponse response;
    SseParser sse;
    std::deque<SseEvent> events;
    bool ended = false;
    std::string end_reason;
    std::string where;  // http://host/target, for messages

    ~Impl() {
        stream.close();  // as in WsClient
        ioc.restart();
        ioc.poll();
    }

    void check(const beast::error_code& ec, const std::string& step) {
        if (ec) throw std::runtime_error(where + ": " + step + ": " + ec.message());
    }

    void connect(int port, const std::string& target, const HttpHeaders& headers) {
        where = "http://" + host_header(port) + target;
        stream.expires_after(kHttpTimeout);
        check(
            run_op(ioc,
                   [&](auto handler) { stream.async_connect(loopback(port), std::move(handler)); }),
            "connecting");
        http::request<http::empty_body> req{http::verb::get, target, 11};
        req.set(http::field::host, host_header(port));
        req.set(http::field::user_agent, "kompo-test");
        req.set(http::field::accept, "text/event-stream");
        req.set(http::field::cache_control, "no-cache");
        apply_headers(req, with_credentials(port, headers));
        stream.expires_after(kHttpTimeout);
        check(
            run_op(ioc, [&](auto handler) { http::async_write(stream, req, std::move(handler)); }),
            "sending the request");
        read_header();
        stream.expires_never();
        start_read();
    }

    void read_header() {
        parser.body_limit(boost::none);
        stream.expires_after(kHttpTimeout);
        check(run_op(ioc,
                     [&](auto handler) {
                         http::async_read_header(stream, buffer, parser, std::move(handler));
                     }),
              "reading the response header");
        response.status = static_cast<int>(parser.get().result_int());
        response.headers = lower_case_headers(parser.get());
        const auto type = response.header("content-type");
        if (response.status != 200 || type.rfind("text/event-stream", 0) != 0) {
            const auto body = read_error_body();
            throw HttpStatusError(where + ": expected an event stream, got status " +
                                      std::to_string(response.status) + " (" + type + "): " + body,
                                  response.status, body);
        }
    }

    // The body of a refusal (bounded), for the error message.
    std::string read_error_body() {
        std::string body;
        while (!parser.is_done() && body.size() < (1u << 20)) {
            parser.get().body().data = chunk.data();
            parser.get().body().size = chunk.size();
            stream.expires_after(kHttpTimeout);
            auto ec = run_op(ioc, [&](auto handler) {
                http::async_read_some(stream, buffer, parser, std::move(handler));
            });
            body.append(chunk.data(), chunk.size() - parser.get().body().size);
            if (ec && ec != http::error::need_buffer) break;
        }
        return body;
    }

    // Reads in the background (while a call pumps the io_context) until the end.
    void start_read() {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        http::async_read_some(stream, buffer, parser,
                              [this](beast::error_code ec, std::size_t) { on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        const auto n = chunk.size() - parser.get().body().size;
        sse.feed(std::string_view(chunk.data(), n), events);
        if (ec == http::error::need_buffer) ec = {};
        if (ec || parser.is_done()) {
            ended = true;
            end_reason = ec ? ec.message() : "the server ended the stream";
            return;
        }
        start_read();
    }

    bool pump(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
        return pump_until(ioc, Clock::now() + timeout, done);
    }
};

SseClient::SseClient(int port, const std::string& target, const HttpHeaders& headers)
    : impl_(std::make_unique<Impl>()) {
    impl_->connect(port, target, headers);
}

SseClient::~SseClient() = default;

std::optional<SseEvent> SseClient::next(std::chrono::milliseconds timeout) {
    impl_->pump(timeout, [this] { return !impl_->events.empty() || impl_->ended; });
    if (!impl_->events.empty()) {
        SseEvent event = std::move(impl_->events.front());
        impl_->events.pop_front();
        return event;
    }
    if (impl_->ended) throw std::runtime_error(impl_->where + ": " + impl_->end_reason);
    return std::nullopt;
}

bool SseClient::wait_ended(std::chrono::milliseconds timeout) {
    return impl_->pump(timeout, [this] { return impl_->ended; });
}

bool SseClient::ended() const {
    return impl_->ended;
}

const HttpResponse& WsClient::handshake_response() const {
    return impl_->handshake_response;
}

const HttpResponse& SseClient::response() const {
    return impl_->response;
}

}  // namespace kompo::test
