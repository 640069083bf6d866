#pragma once
// `kompo serve`'s HTTP server: the I/O threads, the handler pool, the listener, the
// routes and the live event feed, over one platform. Rendering is not its business:
// workers (in-process or not) take steps from the same store.
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "platform/config.hpp"
#include "platform/platform.hpp"
#include "server/connections.hpp"
#include "server/event_hub.hpp"
#include "server/gatekeeper.hpp"
#include "server/log.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/service_context.hpp"

namespace kompo::server {

class Listener;

class Server {
  public:
    Server(platform::Platform& platform, const platform::Config& config, Log& log);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds (throws Error(io) naming the address), starts the threads and logs
    // {"msg":"listening","address":...,"port":...}.
    void start();
    unsigned short port() const;
    // Stops accepting, lets requests being answered finish within the grace period,
    // closes event streams, then stops the threads. Idempotent.
    void shut_down();

  private:
    // Renders whose shown status is kept (a few KB each: the steps' JSON).
    static constexpr std::size_t kRenderStatusesKept = 1024;

    void schedule_upload_sweep();

    platform::Platform& platform_;
    const platform::Config& config_;
    Log& log_;
    Router router_;
    Connections connections_;
    EventHub events_;
    Metrics metrics_;
    auth::Accounts accounts_;
    platform::Quotas quotas_;
    auth::RateLimiter logins_;
    auth::TrustedProxies proxies_;
    Gatekeeper gatekeeper_;
    platform::AnalysisRuns analyses_;
    platform::RenderStatusCache render_statuses_{kRenderStatusesKept};
    ServiceContext services_;
    const unsigned io_thread_count_;  // server.threads, or the usable cores
    boost::asio::io_context io_;
    // Keeps the I/O threads running while a handler on the pool has the only work of a
    // connection (while shutting down, nothing else may be pending on io_).
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
        io_work_;
    boost::asio::thread_pool handlers_;
    boost::asio::steady_timer upload_sweep_;  // abandoned uploads expire while it runs
    SessionContext session_context_;
    std::shared_ptr<Listener> listener_;
    std::vector<std::thread> io_threads_;
    bool stopped_ = false;
};

}  // namespace kompo::server
