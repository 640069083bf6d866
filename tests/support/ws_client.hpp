#pragma once
// Streaming clients for tests of `kompo serve`: a WebSocket client and a Server-Sent Events
// client. Both read in the background while the test waits in one of their calls, so a
// wait that times out leaves the connection usable. Connecting and writing have the
// deadline kHttpTimeout; errors are std::runtime_error saying what happened. One thread at a
// time per object; objects are independent.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "support/http_client.hpp"

namespace kompo::test {

// A WebSocket connection to ws://127.0.0.1:port/target. A refused upgrade throws
// HttpStatusError with the server's status and body.
class WsClient {
  public:
    WsClient(int port, const std::string& target, const HttpHeaders& headers = {});
    ~WsClient();  // closes politely (bounded), when still open
    WsClient(const WsClient&) = delete;
    WsClient& operator=(const WsClient&) = delete;

    // The next message (text or binary), in order; nullopt when none came within
    // `timeout`. Throws once the connection has ended and every message was read: the
    // message says who closed it, with the close code and reason.
    std::optional<std::string> read_text(std::chrono::milliseconds timeout);
    // Like read_text, but throws on timeout too.
    std::string expect_text(std::chrono::milliseconds timeout);
    void send_text(const std::string& text);
    // Close handshake (code 1000), waiting for the server's close frame (bounded).
    void close();

    // Reads (keeping messages for read_text) until the connection ends; true when it did
    // within `timeout`.
    bool wait_closed(std::chrono::milliseconds timeout);
    // The server closed the connection (close frame or TCP close) without close() asking.
    bool closed_by_server() const;
    // The connection has ended, whoever ended it.
    bool closed() const;
    // The close frame's code and reason, when one was received.
    std::optional<int> close_code() const;
    std::string close_reason() const;
    // Status (101) and headers of the server's answer to the handshake.
    const HttpResponse& handshake_response() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// One event of a text/event-stream, as the SSE spec dispatches it: `event` is "message"
// when the server named none; `id` is the last event id seen so far on the stream.
struct SseEvent {
    std::string id;
    std::string event;
    std::string data;  // data lines joined with "\n"
};

// A GET of a text/event-stream (Accept: text/event-stream). A status other than 200 or
// another content type throws HttpStatusError with the server's status and body.
class SseClient {
  public:
    SseClient(int port, const std::string& target, const HttpHeaders& headers = {});
    ~SseClient();
    SseClient(const SseClient&) = delete;
    SseClient& operator=(const SseClient&) = delete;

    // The next event; nullopt when none came within `timeout`. Throws once the stream has
    // ended and every event was read (ended() tells beforehand).
    std::optional<SseEvent> next(std::chrono::milliseconds timeout);
    // Reads (keeping events for next) until the server ends the stream; true when it did
    // within `timeout`.
    bool wait_ended(std::chrono::milliseconds timeout);
    // The server ended the stream (or the connection failed).
    bool ended() const;
    // Status and headers of the response (body empty).
    const HttpResponse& response() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kompo::test
