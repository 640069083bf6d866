#pragma once
// The live feed of every execution's events: one thread reads the store's global event
// log after its cursor (one read for all subscribers, however many) and hands each
// subscriber the events it asked for. Workers and other replicas of the server may be
// other processes, so the store is the only place events can come from. It reads when
// the store signals new events (PostgreSQL's NOTIFY, from whichever process appended
// them) and every 100 ms regardless: a hint that was lost costs at most that.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/platform.hpp"
#include "server/log.hpp"

namespace kompo::server {

using EventBatch = std::vector<workflow::Event>;

class EventHub {
  public:
    EventHub(platform::Platform& platform, Log& log);
    ~EventHub();

    void start();
    void stop();

    // `deliver` gets, in order, each new event of `execution_id` (empty: of all). It is
    // called on the hub's thread and must not block. Returns the subscription's id.
    std::uint64_t subscribe(const std::string& execution_id,
                            std::function<void(const EventBatch&)> deliver);
    void unsubscribe(std::uint64_t id);
    std::size_t subscribers() const;

  private:
    struct Subscriber {
        std::string execution_id;
        std::function<void(const EventBatch&)> deliver;
    };
    void run();
    void publish(const EventBatch& events);

    platform::Platform& platform_;
    Log& log_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool changed_ = false;  // the store signalled new events since the last read
    std::unique_ptr<ChangeSignal::Watch> watch_;
    std::map<std::uint64_t, Subscriber> subscribers_;
    std::uint64_t next_id_ = 1;
    std::int64_t cursor_ = 0;
    std::thread thread_;
};

}  // namespace kompo::server
