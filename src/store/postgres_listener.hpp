#pragma once
// The PostgreSQL store's change signal: one connection of its own that LISTENs to the
// channels the store's transactions NOTIFY (with an empty payload, in the transaction
// that makes the change, so the hint is sent when and only when it commits). Opened on
// the first watch, by a thread that reconnects with backoff when the server goes away
// and, once back, wakes every watcher (what changed meanwhile was announced to nobody).
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/change_signal.hpp"

struct pg_conn;  // libpq's PGconn

namespace kompo::store {

// The channel a change is announced on.
const char* channel_of(Change what);

class PostgresListener : public ChangeSignal {
  public:
    // `url`: libpq's connection URI. Connects nothing yet.
    explicit PostgresListener(std::string url);
    // Stops the thread at once (it waits on its socket and on a wake-up file descriptor).
    ~PostgresListener() override;
    PostgresListener(const PostgresListener&) = delete;
    PostgresListener& operator=(const PostgresListener&) = delete;

    std::unique_ptr<Watch> watch(Change what, std::function<void()> wake) override;

  private:
    class Watching;
    // An eventfd, closed with its owner: readable once the listener stops.
    class StopFd {
      public:
        StopFd();
        ~StopFd();
        StopFd(const StopFd&) = delete;
        StopFd& operator=(const StopFd&) = delete;
        int fd() const { return fd_; }
        void raise() const;

      private:
        int fd_;
    };
    struct Watcher {
        Change what;
        std::function<void()> wake;
    };
    void run();
    // Listens on one connection until it breaks or the listener stops.
    void listen_until_broken(pg_conn* connection);
    // Pauses `millis` unless stopped first; false when stopped.
    bool pause(int millis);
    void wake(const std::string& channel);
    void wake_all();
    void forget(std::uint64_t id);

    std::string url_;
    StopFd stop_;
    std::mutex mutex_;  // held while a watcher is woken, so forgetting one waits for it
    std::map<std::uint64_t, Watcher> watchers_;
    std::uint64_t next_id_ = 1;
    std::thread thread_;  // started by the first watch
};

}  // namespace kompo::store
