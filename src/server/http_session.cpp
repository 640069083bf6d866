#include "server/http_session.hpp"

#include <cstdint>
#include <random>
#include <string_view>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>

#include "core/error.hpp"
#include "core/random_hex.hpp"
#include "platform/reads_together.hpp"
#include "server/file_slice_body.hpp"
#include "server/security_headers.hpp"

namespace kompo::server {

namespace beast = boost::beast;
namespace net = boost::asio;
using std::chrono::duration_cast;
using std::chrono::steady_clock;

namespace {

steady_clock::duration seconds_of(double seconds) {
    return duration_cast<steady_clock::duration>(std::chrono::duration<double>(seconds));
}

// Eight hex digits from a generator seeded once per thread: a std::random_device per id
// cost 6% of a request's time (it queries the CPU's features, which traps in a VM); and
// written by hand, as snprintf cost more than the generator.
std::string fresh_request_id() {
    thread_local std::mt19937 generator(std::random_device{}());
    constexpr std::string_view kDigits = "0123456789abcdef";
    auto value = static_cast<std::uint32_t>(generator());
    std::string id(8, '0');
    for (auto digit = id.rbegin(); digit != id.rend(); ++digit, value >>= 4) {
        *digit = kDigits[value & 0xf];
    }
    return id;
}

// A client's X-Request-Id is kept when it is a sane token, so logs can be joined up.
std::string request_id_of(const http::fields& headers) {
    const auto given = headers.find("X-Request-Id");
    if (given != headers.end() && !given->value().empty() && given->value().size() <= 64) {
        const std::string value(given->value());
        const bool sane =
            value.find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
            std::string::npos;
        if (sane) return value;
    }
    return fresh_request_id();
}

http::message_generator file_response(const Request& request, Reply& reply, unsigned version,
                                      bool keep_alive, std::uint64_t& bytes) {
    http::response<FileSliceBody> response{reply.status, version};
    beast::error_code ec;
    response.body().file.open(reply.file->path.c_str(), beast::file_mode::scan, ec);
    if (ec)
        throw Error::io(reply.file->path.filename().string() + ": cannot open: " + ec.message());
    response.body().offset = reply.file->offset;
    response.body().length = reply.file->length;
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.keep_alive(keep_alive);
    response.content_length(reply.file->length);
    bytes = reply.file->length;
    if (request.method == http::verb::head) {
        http::response<http::empty_body> head{response.base()};
        bytes = 0;
        return head;
    }
    return response;
}

http::message_generator string_response(const Request& request, Reply& reply, unsigned version,
                                        bool keep_alive, std::uint64_t& bytes) {
    http::response<http::string_body> response{reply.status, version};
    for (const auto& [name, value] : reply.headers) response.set(name, value);
    response.keep_alive(keep_alive);
    bytes = reply.body.size();
    response.content_length(reply.body.size());
    if (request.method != http::verb::head) {
        response.body() = std::move(reply.body);
    } else {
        bytes = 0;
    }
    return response;
}

std::string peer_address_of(const net::ip::tcp::socket& socket) {
    beast::error_code ignored;
    return socket.remote_endpoint(ignored).address().to_string();
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, SessionContext& context)
    : strand_(socket.get_executor()),
      stream_(std::move(socket)),
      context_(context),
      peer_address_(peer_address_of(stream_.socket())) {}

HttpSession::~HttpSession() {
    if (!request_.upload.empty()) {
        std::error_code ignored;
        std::filesystem::remove(request_.upload, ignored);
    }
    context_.connections.remove(this);
}

void HttpSession::start() {
    net::dispatch(strand_, [self = shared_from_this()] { self->read_header(); });
}

void HttpSession::shut_down() {
    net::post(strand_, [self = shared_from_this()] {
        self->shutting_down_ = true;
        // Between requests nothing is lost by closing; a request being answered finishes
        // first and then closes (keep-alive off).
        if (self->waiting_for_request_ && self->buffer_.size() == 0) self->stream_.cancel();
    });
}

void HttpSession::read_header() {
    waiting_for_request_ = true;
    if (shutting_down_) return close();
    header_.emplace();
    header_->header_limit(static_cast<std::uint32_t>(context_.settings.max_header_bytes));
    header_->body_limit(boost::none);
    json_body_.reset();
    upload_body_.reset();
    request_ = Request{};
    version_ = 11;
    client_keep_alive_ = false;
    const double wait = first_request_ ? context_.settings.request_timeout_seconds
                                       : context_.settings.idle_timeout_seconds;
    stream_.expires_after(seconds_of(wait));
    http::async_read_header(
        stream_, buffer_, *header_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
}

void HttpSession::on_header(beast::error_code ec) {
    waiting_for_request_ = false;
    first_request_ = false;
    started_ = steady_clock::now();
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset) {
        return close();
    }
    if (ec == http::error::header_limit) {
        return reject(http::status::request_header_fields_too_large, "header_too_large",
                      "request header: larger than " +
                          std::to_string(context_.settings.max_header_bytes) + " bytes");
    }
    if (ec) return reject(http::status::bad_request, "bad_request", "request: " + ec.message());
    version_ = header_->get().version();
    client_keep_alive_ = header_->get().keep_alive();
    if (!prepare_request()) return;
    if (match_.route->stream) return hand_over_stream();
    continue_then_read_body();
}

bool HttpSession::prepare_request() {
    const auto& message = header_->get();
    request_.method = message.method();
    request_.target = std::string(message.target());
    request_.headers = message.base();
    request_.request_id = request_id_of(message.base());
    request_.remote_address = peer_address_;
    if (context_.proxies && !context_.proxies->empty()) {
        std::string forwarded;  // every X-Forwarded-For line, in order, as one list
        const auto [first, last] = message.base().equal_range("X-Forwarded-For");
        for (auto line = first; line != last; ++line) {
            forwarded += (forwarded.empty() ? "" : ",") + std::string(line->value());
        }
        request_.remote_address = context_.proxies->client_of(request_.remote_address, forwarded);
    }
    const auto url = boost::urls::parse_origin_form(request_.target);
    if (!url) {
        reject(http::status::bad_request, "bad_target", "request target: not a valid path");
        return false;
    }
    request_.path = std::string(url->path());
    for (const auto& param : url->params()) request_.query[param.key] = param.value;
    match_ = context_.router.match(request_.method, std::string(url->encoded_path()));
    if (!match_.route) {
        if (match_.path_known) {
            reject(http::status::method_not_allowed, "method_not_allowed",
                   std::string(message.method_string()) + " " + request_.path +
                       ": method not allowed");
        } else {
            reject(http::status::not_found, "not_found", request_.path + ": no such resource");
        }
        return false;
    }
    request_.params = match_.params;
    request_.route = match_.route->pattern;
    return true;
}

void HttpSession::continue_then_read_body() {
    const auto& message = header_->get();
    const bool upload = match_.route->body == BodyKind::upload;
    const auto limit =
        upload ? context_.settings.max_upload_bytes : context_.settings.max_body_bytes;
    if (upload) {
        try {
            context_.router.admit(*match_.route, request_);
            const auto announced = header_->content_length();
            if (announced && match_.route->admit_body) {
                match_.route->admit_body(request_, *announced);
            }
        } catch (...) {
            shutting_down_ = true;  // the body is not read: the connection cannot be reused
            return send(reply_for_exception(std::current_exception()));
        }
    }
    const auto length = header_->content_length();
    if (length && *length > static_cast<std::uint64_t>(limit)) {
        return reject(http::status::payload_too_large, "too_large",
                      "request body: " + std::to_string(*length) + " bytes is more than the " +
                          std::to_string(limit) + " allowed");
    }
    if (!beast::iequals(message[http::field::expect], "100-continue")) return read_body();
    auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                      message.version());
    http::async_write(stream_, *interim,
                      [self = shared_from_this(), interim](beast::error_code ec, std::size_t) {
                          if (ec) return self->close();
                          self->read_body();
                      });
}

void HttpSession::read_body() {
    stream_.expires_after(body_time_limit());
    auto done = [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_body(ec);
    };
    if (match_.route->body == BodyKind::json) {
        json_body_.emplace(std::move(*header_));
        json_body_->body_limit(static_cast<std::uint64_t>(context_.settings.max_body_bytes));
        // Most requests (GETs) have no body: they are whole with their header.
        if (json_body_->is_done()) return on_body({});
        return http::async_read(stream_, buffer_, *json_body_, std::move(done));
    }
    upload_body_.emplace(std::move(*header_));
    upload_body_->body_limit(static_cast<std::uint64_t>(context_.settings.max_upload_bytes));
    request_.upload = context_.upload_dir / (".upload-" + random_hex(8));
    beast::error_code ec;
    upload_body_->get().body().open(request_.upload.c_str(), beast::file_mode::write, ec);
    if (ec) {
        request_.upload.clear();
        return reject(http::status::service_unavailable, "io",
                      "upload: cannot create a temporary file: " + ec.message());
    }
    http::async_read(stream_, buffer_, *upload_body_, std::move(done));
}

steady_clock::duration HttpSession::body_time_limit() const {
    double seconds = context_.settings.request_timeout_seconds;
    if (match_.route->body == BodyKind::upload) {
        const auto length = header_->content_length().value_or(
            static_cast<std::uint64_t>(context_.settings.max_upload_bytes));
        seconds += context_.settings.upload_seconds_per_mib * static_cast<double>(length) /
                   (1024.0 * 1024.0);
    }
    return seconds_of(seconds);
}

void HttpSession::on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) {
        return reject(http::status::payload_too_large, "too_large",
                      "request body: larger than allowed");
    }
    if (ec == beast::error::timeout) {
        return reject(http::status::request_timeout, "timeout",
                      "request body: not received in time");
    }
    if (ec) return close();
    if (json_body_) {
        request_.body = std::move(json_body_->get().body());
    } else {
        upload_body_->get().body().close();
        std::error_code size_error;
        request_.upload_bytes = std::filesystem::file_size(request_.upload, size_error);
    }
    run_handler();
}

void HttpSession::hand_over_stream() {
    // Event streams have no body; what is read here is the (empty) rest of the request.
    json_body_.emplace(std::move(*header_));
    json_body_->body_limit(0);
    stream_.expires_after(seconds_of(context_.settings.request_timeout_seconds));
    http::async_read(stream_, buffer_, *json_body_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         if (ec) return self->close();
                         self->pass_stream_on();
                     });
}

void HttpSession::pass_stream_on() {
    stream_.expires_never();
    context_.log.info(
        "stream",
        {{"request_id", request_.request_id}, {"path", request_.path}, {"route", request_.route}});
    // A stream's handler reads the store (the render, what the client missed), so it runs
    // on the handler pool like any handler. This session ends here: the connection is the
    // handler's now.
    net::post(context_.handlers, [route = match_.route, log = &context_.log,
                                  stream = std::move(stream_), message = json_body_->release(),
                                  request = std::move(request_)]() mutable {
        try {
            route->stream(std::move(stream), std::move(message), std::move(request));
        } catch (const std::exception& e) {
            log->error("stream: handler failed", {{"route", route->pattern}, {"error", e.what()}});
        }
    });
}

void HttpSession::run_handler() {
    if (match_.route->inline_ok) return send(answer_reading_together());
    net::post(context_.handlers, [self = shared_from_this()] {
        auto reply = self->answer();
        net::post(self->strand_,
                  [self, reply = std::move(reply)]() mutable { self->send(std::move(reply)); });
    });
}

Reply HttpSession::answer() {
    try {
        return match_.route->handler(request_);
    } catch (...) {
        return reply_for_exception(std::current_exception());
    }
}

// An inline route reads briefly, and so does the guard before it (the credential):
// one read transaction for both costs less than two (platform/reads_together.hpp).
Reply HttpSession::answer_reading_together() {
    if (!context_.platform) return answer();
    const platform::ReadsTogether together(*context_.platform);
    return answer();
}

void HttpSession::reject(http::status status, const std::string& code, const std::string& message) {
    if (request_.request_id.empty()) request_.request_id = fresh_request_id();
    // The rest of a refused request is not read, so the connection cannot be reused.
    shutting_down_ = true;
    send(Reply::error(status, code, message));
}

void HttpSession::send(Reply reply) {
    status_ = static_cast<unsigned>(reply.status);
    reply.header("X-Request-Id", request_.request_id);
    add_security_headers(reply);
    const unsigned version = version_;
    const bool keep_alive = client_keep_alive_ && !shutting_down_;
    std::uint64_t bytes = 0;
    std::optional<http::message_generator> message;
    try {
        message.emplace(reply.file ? file_response(request_, reply, version, keep_alive, bytes)
                                   : string_response(request_, reply, version, keep_alive, bytes));
    } catch (...) {
        auto failed = reply_for_exception(std::current_exception());
        add_security_headers(failed);
        status_ = static_cast<unsigned>(failed.status);
        message.emplace(string_response(request_, failed, version, false, bytes));
    }
    stream_.expires_after(seconds_of(context_.settings.request_timeout_seconds));
    beast::async_write(
        stream_, std::move(*message),
        [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t written) {
            self->on_written(keep_alive, ec, written);
        });
}

void HttpSession::on_written(bool keep_alive, beast::error_code ec, std::size_t bytes) {
    const double seconds = std::chrono::duration<double>(steady_clock::now() - started_).count();
    const auto method = std::string(http::to_string(request_.method));
    const std::string route = request_.route.empty() ? "unmatched" : request_.route;
    context_.log.access({request_.request_id, method, request_.path, route, status_, bytes,
                         seconds * 1000.0, request_.remote_address});
    if (context_.observer) context_.observer->observe(route, method, status_, seconds);
    if (!request_.upload.empty()) {
        std::error_code ignored;
        std::filesystem::remove(request_.upload, ignored);  // unless the handler moved it
        request_.upload.clear();
    }
    if (ec || !keep_alive) return close();
    read_header();
}

void HttpSession::close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
}

}  // namespace kompo::server
