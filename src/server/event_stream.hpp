#pragma once
// One live subscriber: a WebSocket or a Server-Sent Events response. It first sends
// what the client missed (events after its cursor, read from the store), then live
// events from the hub, each once and in order (a live event at or below the cursor is
// dropped). Progress events are thinned to one per step per 250 ms. A client too slow to
// take its events is disconnected; it reconnects with its cursor and misses nothing.
// The store is read on the handler pool, never on the connection's I/O strand.
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "server/connections.hpp"
#include "server/event_hub.hpp"
#include "server/router.hpp"
#include "server/service_context.hpp"

namespace kompo::server {

struct StreamScope {
    std::string execution_id;  // empty: every render (the cursor is then the global id)
    std::int64_t after = 0;    // the client's last cursor
    std::string tenant;        // whose renders: the all-renders feed holds only theirs
};

class EventStream : public Connection, public std::enable_shared_from_this<EventStream> {
  public:
    EventStream(boost::beast::tcp_stream stream, ServiceContext& services, Connections& connections,
                StreamScope scope, bool websocket);
    ~EventStream() override;

    // On the handler pool: subscribes to the hub, reads the backlog, then (on the strand)
    // accepts the WebSocket or writes the SSE header and streams.
    void start(http::request<http::string_body> message);
    void shut_down() override;

  private:
    void subscribe();
    EventBatch read_backlog();                            // on the pool
    void open(http::request<http::string_body> message);  // on the strand from here on
    void refuse(std::exception_ptr error);                // before anything was sent
    void take_live(const EventBatch& events);
    void begin_streaming();
    // Whether the execution is the scope's tenant's (remembered: asked once per render).
    bool owned(const std::string& execution_id);
    void take(const EventBatch& events);  // on the strand
    void write_next();
    void read_client();  // keeps the session alive; notices the client leaving
    void finish();
    std::string frame(const workflow::Event& event) const;
    std::int64_t cursor_of(const workflow::Event& event) const;

    boost::beast::tcp_stream* tcp();
    std::optional<boost::beast::tcp_stream> sse_;
    std::optional<boost::beast::websocket::stream<boost::beast::tcp_stream>> ws_;
    boost::beast::flat_buffer read_buffer_;
    ServiceContext& services_;
    Connections& connections_;
    StreamScope scope_;
    std::uint64_t subscription_ = 0;
    EventBatch backlog_;            // read on the pool, sent once streaming
    std::vector<EventBatch> held_;  // live batches that came before the backlog was sent
    std::size_t held_events_ = 0;
    std::deque<std::string> queue_;
    std::map<std::string, Millis> last_progress_;  // step → `at` of the last sent
    std::map<std::string, bool> owned_;            // execution → the tenant's?
    bool streaming_ = false;  // accepted and the backlog taken: live events go straight out
    bool live_ = true;        // hub events are taken (false once a backlog was cut short)
    bool writing_ = false;
    bool ending_ = false;  // the render ended (or the backlog was cut): close once written
    bool closed_ = false;
};

// The stream routes' handler: `execution_id` empty for all renders.
void start_event_stream(boost::beast::tcp_stream stream, http::request<http::string_body> message,
                        const Request& request, ServiceContext& services, Connections& connections,
                        const std::string& execution_id);

}  // namespace kompo::server
