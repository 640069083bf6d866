// LISTEN on a connection of its own (libpq directly: libpqxx 6 would reopen a broken
// connection behind our back and forget what it listened to), waking watchers by channel.
#include "store/postgres_listener.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <libpq-fe.h>

#include "core/error.hpp"
#include "store/postgres_store.hpp"

namespace kompo::store {

namespace {

constexpr const char* kEventsChannel = "kompo_events";
constexpr const char* kStepsChannel = "kompo_steps";

// As the pool's: the server is starting or restarting, worth another try soon.
constexpr int kFirstPauseMillis = 50;
constexpr int kLongestPauseMillis = 2'000;

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

Connection connect(const std::string& url) {
    Connection connection(PQconnectdb(url.c_str()), &PQfinish);
    if (connection && PQstatus(connection.get()) != CONNECTION_OK) connection.reset();
    return connection;
}

bool execute(PGconn* connection, const std::string& sql) {
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection, sql.c_str()), &PQclear);
    return result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
}

}  // namespace

const char* channel_of(Change what) {
    return what == Change::events ? kEventsChannel : kStepsChannel;
}

void PostgresTransaction::announce(Change what) {
    run("SELECT pg_notify($1, '')", channel_of(what));
}

PostgresListener::StopFd::StopFd() : fd_(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    if (fd_ < 0) throw Error::io(std::string("store: eventfd: ") + std::strerror(errno));
}

PostgresListener::StopFd::~StopFd() {
    ::close(fd_);
}

void PostgresListener::StopFd::raise() const {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
}

// A watch, forgotten by the listener when it ends.
class PostgresListener::Watching : public ChangeSignal::Watch {
  public:
    Watching(PostgresListener& listener, std::uint64_t id) : listener_(listener), id_(id) {}
    ~Watching() override { listener_.forget(id_); }

  private:
    PostgresListener& listener_;
    std::uint64_t id_;
};

PostgresListener::PostgresListener(std::string url) : url_(std::move(url)) {}

PostgresListener::~PostgresListener() {
    stop_.raise();
    if (thread_.joinable()) thread_.join();
}

std::unique_ptr<ChangeSignal::Watch> PostgresListener::watch(Change what,
                                                             std::function<void()> wake) {
    std::lock_guard lock(mutex_);
    const auto id = next_id_++;
    watchers_.emplace(id, Watcher{what, std::move(wake)});
    // Only processes that wait on changes pay for the connection (not `kompo submit`).
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
    return std::make_unique<Watching>(*this, id);
}

void PostgresListener::forget(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    watchers_.erase(id);
}

void PostgresListener::run() {
    int pause_millis = kFirstPauseMillis;
    for (;;) {
        const auto connection = connect(url_);
        const bool listening = connection &&
                               execute(connection.get(), std::string("LISTEN ") + kEventsChannel) &&
                               execute(connection.get(), std::string("LISTEN ") + kStepsChannel);
        if (listening) {
            pause_millis = kFirstPauseMillis;
            // Whatever changed while nobody listened was announced to nobody.
            wake_all();
            listen_until_broken(connection.get());
        }
        if (!pause(pause_millis)) return;
        if (!listening) pause_millis = std::min(pause_millis * 2, kLongestPauseMillis);
    }
}

void PostgresListener::listen_until_broken(PGconn* connection) {
    pollfd waits[2] = {{PQsocket(connection), POLLIN, 0}, {stop_.fd(), POLLIN, 0}};
    for (;;) {
        if (::poll(waits, 2, -1) < 0) {
            if (errno == EINTR) continue;
            return;
        }
        if (waits[1].revents != 0) return;
        if (PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK) return;
        while (PGnotify* notification = PQnotifies(connection)) {
            const std::string channel = notification->relname;
            PQfreemem(notification);
            wake(channel);
        }
    }
}

bool PostgresListener::pause(int millis) {
    pollfd stop{stop_.fd(), POLLIN, 0};
    return ::poll(&stop, 1, millis) != 1;
}

void PostgresListener::wake(const std::string& channel) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, watcher] : watchers_) {
        if (channel == channel_of(watcher.what)) watcher.wake();
    }
}

void PostgresListener::wake_all() {
    std::lock_guard lock(mutex_);
    for (const auto& [id, watcher] : watchers_) watcher.wake();
}

}  // namespace kompo::store
