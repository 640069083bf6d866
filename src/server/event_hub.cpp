#include "server/event_hub.hpp"

#include "platform/renders.hpp"

namespace kompo::server {

namespace {
constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr std::size_t kBatch = 2000;
}  // namespace

EventHub::EventHub(platform::Platform& platform, Log& log) : platform_(platform), log_(log) {}

EventHub::~EventHub() {
    stop();
}

void EventHub::start() {
    cursor_ = platform::Renders(platform_).feed_position();
    watch_ = platform_.changes.watch(Change::events, [this] {
        std::lock_guard lock(mutex_);
        changed_ = true;
        wake_.notify_all();
    });
    thread_ = std::thread([this] { run(); });
}

void EventHub::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
    watch_.reset();  // not under mutex_: the signal takes it to wake us
}

std::uint64_t EventHub::subscribe(const std::string& execution_id,
                                  std::function<void(const EventBatch&)> deliver) {
    std::lock_guard lock(mutex_);
    const auto id = next_id_++;
    subscribers_.emplace(id, Subscriber{execution_id, std::move(deliver)});
    return id;
}

void EventHub::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    subscribers_.erase(id);
}

std::size_t EventHub::subscribers() const {
    std::lock_guard lock(mutex_);
    return subscribers_.size();
}

void EventHub::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        changed_ = false;  // what is signalled from now on, this read may miss
        lock.unlock();
        EventBatch events;
        try {
            events = platform::Renders(platform_).feed(cursor_, kBatch);
        } catch (const std::exception& e) {
            log_.error("event feed: cannot read the store", {{"error", e.what()}});
        }
        if (!events.empty()) {
            cursor_ = events.back().id;
            publish(events);
        }
        lock.lock();
        // A full batch means more are waiting: read again at once.
        if (events.size() < kBatch)
            wake_.wait_for(lock, kPollInterval, [this] { return stopping_ || changed_; });
    }
}

void EventHub::publish(const EventBatch& events) {
    std::lock_guard lock(mutex_);
    std::map<std::string, EventBatch> by_execution;
    for (const auto& event : events) by_execution[event.execution_id].push_back(event);
    for (auto& [id, subscriber] : subscribers_) {
        if (subscriber.execution_id.empty()) {
            subscriber.deliver(events);
            continue;
        }
        const auto found = by_execution.find(subscriber.execution_id);
        if (found != by_execution.end()) subscriber.deliver(found->second);
    }
}

}  // namespace kompo::server
