#include "server/event_stream.hpp"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include "platform/render_view.hpp"
#include "platform/renders.hpp"
#include "server/security_headers.hpp"

namespace kompo::server {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;

namespace {

constexpr std::size_t kMaxQueued = 10'000;
constexpr Millis kProgressSpacing = 250;

// The most missed events one stream sends before it ends (the client resumes from the
// last one's cursor). KOMPO_TEST_STREAM_BACKLOG_CAP lowers it, so that a test reaches it
// with the few dozen events of one small render.
std::size_t backlog_cap() {
    static const std::size_t cap = [] {
        const char* given = std::getenv("KOMPO_TEST_STREAM_BACKLOG_CAP");
        const long long value = given ? std::atoll(given) : 0;
        return value > 0 ? std::min(static_cast<std::size_t>(value), kMaxQueued) : kMaxQueued;
    }();
    return cap;
}

std::string sse_header() {
    std::string header =
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Connection: close\r\nX-Accel-Buffering: no\r\n";
    for (const auto& [name, value] : security_headers()) {
        header.append(name).append(": ").append(value).append("\r\n");
    }
    return header + "\r\n";
}

}  // namespace

EventStream::EventStream(beast::tcp_stream stream, ServiceContext& services,
                         Connections& connections, StreamScope scope, bool websocket)
    : services_(services), connections_(connections), scope_(std::move(scope)) {
    if (websocket) {
        ws_.emplace(std::move(stream));
    } else {
        sse_.emplace(std::move(stream));
    }
}

EventStream::~EventStream() {
    if (subscription_) services_.events.unsubscribe(subscription_);
    connections_.remove(this);
}

beast::tcp_stream* EventStream::tcp() {
    return ws_ ? &beast::get_lowest_layer(*ws_) : &*sse_;
}

void EventStream::start(http::request<http::string_body> message) {
    // Subscribe first, then read the backlog: an event landing in between arrives both
    // ways and the cursor drops the second copy.
    subscribe();
    try {
        backlog_ = read_backlog();
    } catch (...) {
        auto error = std::current_exception();
        return net::dispatch(tcp()->get_executor(),
                             [self = shared_from_this(), error] { self->refuse(error); });
    }
    net::dispatch(tcp()->get_executor(),
                  [self = shared_from_this(), message = std::move(message)]() mutable {
                      self->open(std::move(message));
                  });
}

void EventStream::subscribe() {
    auto weak = weak_from_this();
    subscription_ =
        services_.events.subscribe(scope_.execution_id, [weak](const EventBatch& batch) {
            auto self = weak.lock();
            if (!self) return;
            net::post(self->tcp()->get_executor(), [self, batch] { self->take_live(batch); });
        });
}

EventBatch EventStream::read_backlog() {
    EventBatch backlog;
    platform::Renders renders(services_.platform);
    if (scope_.execution_id.empty()) {
        backlog = renders.tenant_feed(scope_.tenant, scope_.after, backlog_cap());
    } else {
        // Gone or not the tenant's since the route checked: nothing to send.
        backlog = renders.history(scope_.tenant, scope_.execution_id, scope_.after, backlog_cap())
                      .value_or(EventBatch{});
    }
    // Whose they are is known: the strand need not ask the store.
    if (scope_.execution_id.empty()) {
        for (const auto& event : backlog) owned_[event.execution_id] = true;
    }
    return backlog;
}

void EventStream::open(http::request<http::string_body> message) {
    auto self = shared_from_this();
    if (!connections_.add(self)) return finish();
    tcp()->expires_never();
    if (sse_) {
        auto header = std::make_shared<std::string>(sse_header());
        return net::async_write(*sse_, net::buffer(*header),
                                [self, header](beast::error_code ec, std::size_t) {
                                    if (ec) return self->finish();
                                    self->read_client();
                                    self->begin_streaming();
                                });
    }
    ws_->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    ws_->set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        for (const auto& [name, value] : security_headers()) response.set(name, value);
    }));
    auto request = std::make_shared<http::request<http::string_body>>(std::move(message));
    ws_->async_accept(*request, [self, request](beast::error_code ec) {
        if (ec) return self->finish();
        self->read_client();
        self->begin_streaming();
    });
}

void EventStream::refuse(std::exception_ptr error) {
    closed_ = true;
    if (subscription_) services_.events.unsubscribe(std::exchange(subscription_, 0));
    auto reply = reply_for_exception(error);
    add_security_headers(reply);
    services_.log.error(
        "event stream: cannot read the store",
        {{"render", scope_.execution_id}, {"status", static_cast<int>(reply.status)}});
    auto response = std::make_shared<http::response<http::string_body>>(reply.status, 11);
    for (const auto& [name, value] : reply.headers) response->set(name, value);
    response->body() = std::move(reply.body);
    response->keep_alive(false);
    response->prepare_payload();
    http::async_write(
        *tcp(), *response, [self = shared_from_this(), response](beast::error_code, std::size_t) {
            beast::error_code ignored;
            self->tcp()->socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        });
}

void EventStream::take_live(const EventBatch& events) {
    if (!live_ || closed_) return;
    if (streaming_) return take(events);
    // Until the backlog is out, live events wait behind it, so that none is sent first
    // and moves the cursor past what the backlog still holds.
    held_.push_back(events);
    held_events_ += events.size();
    if (held_events_ > kMaxQueued) {
        services_.log.warn("event stream: client too slow, disconnected",
                           {{"render", scope_.execution_id}, {"queued", held_events_}});
        finish();
    }
}

void EventStream::begin_streaming() {
    streaming_ = true;
    auto backlog = std::move(backlog_);
    auto held = std::move(held_);
    held_events_ = 0;
    if (backlog.size() >= backlog_cap()) {
        // More missed events than one read holds: live events now would leave a gap after
        // them. Send these, then end; the client resumes from the last one's cursor.
        live_ = false;
        ending_ = true;
        services_.events.unsubscribe(std::exchange(subscription_, 0));
        return take(backlog);
    }
    take(backlog);
    for (const auto& batch : held) take(batch);
}

bool EventStream::owned(const std::string& execution_id) {
    const auto known = owned_.find(execution_id);
    if (known != owned_.end()) return known->second;
    const bool mine = platform::Renders(services_.platform).owned(scope_.tenant, execution_id);
    owned_[execution_id] = mine;
    return mine;
}

std::int64_t EventStream::cursor_of(const workflow::Event& event) const {
    return scope_.execution_id.empty() ? event.id : event.seq;
}

std::string EventStream::frame(const workflow::Event& event) const {
    const char* const type = workflow::event_type_name(event.type);
    const nlohmann::json message{{"id", event.id},
                                 {"seq", event.seq},
                                 {"render", event.execution_id},
                                 {"type", type},
                                 {"step", event.step},
                                 {"at", event.at},
                                 {"detail", nlohmann::json::parse(event.detail, nullptr, false)}};
    if (ws_) return message.dump();
    return "id: " + std::to_string(cursor_of(event)) + "\nevent: " + type +
           "\ndata: " + message.dump() + "\n\n";
}

void EventStream::take(const EventBatch& events) {
    if (closed_) return;
    for (const auto& event : events) {
        if (cursor_of(event) <= scope_.after) continue;
        scope_.after = cursor_of(event);
        if (scope_.execution_id.empty() && !owned(event.execution_id)) continue;
        if (event.type == workflow::EventType::step_progress) {
            auto& last = last_progress_[event.execution_id + "/" + event.step];
            if (event.at - last < kProgressSpacing) continue;
            last = event.at;
        }
        queue_.push_back(frame(event));
        if (!scope_.execution_id.empty() && workflow::ends_execution(event.type)) ending_ = true;
    }
    if (queue_.size() > kMaxQueued) {
        services_.log.warn("event stream: client too slow, disconnected",
                           {{"render", scope_.execution_id}, {"queued", queue_.size()}});
        return finish();
    }
    write_next();
}

void EventStream::write_next() {
    if (writing_ || closed_) return;
    if (queue_.empty()) {
        if (ending_) finish();
        return;
    }
    writing_ = true;
    auto self = shared_from_this();
    auto done = [self](beast::error_code ec, std::size_t) {
        self->writing_ = false;
        self->queue_.pop_front();
        if (ec) return self->finish();
        self->write_next();
    };
    if (ws_) {
        ws_->text(true);
        return ws_->async_write(net::buffer(queue_.front()), std::move(done));
    }
    net::async_write(*sse_, net::buffer(queue_.front()), std::move(done));
}

void EventStream::read_client() {
    if (sse_) {
        // Nothing is expected from an SSE client; a read that ends means it has gone.
        return sse_->async_read_some(
            read_buffer_.prepare(512),
            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->finish();
                self->read_client();
            });
    }
    ws_->async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) return self->finish();
        self->read_buffer_.clear();
        self->read_client();
    });
}

void EventStream::shut_down() {
    net::post(tcp()->get_executor(), [self = shared_from_this()] { self->finish(); });
}

void EventStream::finish() {
    if (closed_) return;
    closed_ = true;
    if (subscription_) services_.events.unsubscribe(subscription_);
    subscription_ = 0;
    if (ws_ && ws_->is_open()) {
        ws_->async_close(websocket::close_code::normal,
                         [self = shared_from_this()](beast::error_code) {});
        return;
    }
    beast::error_code ignored;
    tcp()->socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
    tcp()->socket().close(ignored);
}

void start_event_stream(beast::tcp_stream stream, http::request<http::string_body> message,
                        const Request& request, ServiceContext& services, Connections& connections,
                        const std::string& execution_id) {
    StreamScope scope{execution_id, 0, request.tenant()};
    auto cursor = request.query_value("after");
    if (cursor.empty()) cursor = request.header("Last-Event-ID");
    scope.after = std::atoll(cursor.c_str());
    // "latest": live from now, without the history (the all-renders feed's usual start).
    if (cursor == "latest" && execution_id.empty()) {
        scope.after = platform::Renders(services.platform).feed_position();
    }
    const bool websocket = websocket::is_upgrade(message);
    auto session = std::make_shared<EventStream>(std::move(stream), services, connections,
                                                 std::move(scope), websocket);
    session->start(std::move(message));
}

}  // namespace kompo::server
