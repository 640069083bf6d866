#include "server/server.hpp"

#include <sys/resource.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>

#include "auth/jwt.hpp"
#include "core/error.hpp"
#include "core/usable_cores.hpp"
#include "platform/upload_sessions.hpp"
#include "server/listener.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace net = boost::asio;
namespace fs = std::filesystem;

namespace {

unsigned thread_count(int configured) {
    if (configured > 0) return static_cast<unsigned>(configured);
    return static_cast<unsigned>(std::max(2, usable_cores()));
}

// Every connection holds a file descriptor, and the usual soft limit (1024) is below
// server.max_connections: lift it to the hard limit. Returns the limit in force.
std::uint64_t raise_open_files_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
    if (limit.rlim_cur < limit.rlim_max) {
        rlimit raised = limit;
        raised.rlim_cur = limit.rlim_max;
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
    }
    return limit.rlim_cur;
}

fs::path upload_dir_of(const fs::path& data_dir) {
    const auto dir = data_dir / "uploads";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error::io(dir.string() + ": cannot create: " + ec.message());
    return dir;
}

auth::AccountSettings account_settings(const platform::AuthSettings& s) {
    return {s.session_hours * 3600, s.lockout_after_failures,
            static_cast<std::int64_t>(s.lockout_first_seconds),
            static_cast<std::int64_t>(s.lockout_max_seconds)};
}

// Off unless an issuer is configured. A refused token is the caller's problem (401); a
// key set that cannot be loaded is the platform's (503), and says so.
SsoVerifier single_sign_on(const platform::AuthSettings& s) {
    if (s.oidc_issuer.empty()) return {};
    auto verifier = std::make_shared<auth::JwtVerifier>(
        auth::OidcSettings{s.oidc_issuer, s.oidc_audience, s.oidc_jwks, s.oidc_clock_skew_seconds});
    return
        [verifier, issuer = s.oidc_issuer](const std::string& jwt) -> std::optional<std::string> {
            try {
                return issuer + " " + verifier->verify(jwt).sub;
            } catch (const auth::TokenError& refused) {
                throw HttpError(http::status::unauthorized, "unauthorized", refused.what());
            } catch (const Error& unavailable) {
                throw HttpError(http::status::service_unavailable, "sso_unavailable",
                                unavailable.what());
            }
        };
}

}  // namespace

Server::Server(platform::Platform& platform, const platform::Config& config, Log& log)
    : platform_(platform),
      config_(config),
      log_(log),
      connections_(static_cast<std::size_t>(std::max(1, config.server.max_connections))),
      events_(platform, log),
      metrics_(platform, events_),
      accounts_(platform.account_store, account_settings(config.auth)),
      quotas_(platform.tenant_store, config.quotas, platform.data_dir),
      logins_(config.auth.login_per_minute / 60.0, config.auth.login_per_minute),
      proxies_(config.server.trusted_proxies),
      gatekeeper_(accounts_, platform.account_store, config.auth, single_sign_on(config.auth)),
      analyses_(std::max(0, config.analysis.concurrency),
                [&log](const std::string& medium, const std::string& error) {
                    if (error.empty()) {
                        log.info("analysed", {{"medium", medium}});
                    } else {
                        log.warn("analysis failed", {{"medium", medium}, {"error", error}});
                    }
                }),
      services_{platform,  config,  log,     events_,   metrics_,        connections_,
                accounts_, quotas_, logins_, analyses_, render_statuses_},
      io_thread_count_(thread_count(config.server.threads)),
      io_(static_cast<int>(io_thread_count_)),
      handlers_(io_thread_count_ * 2),
      upload_sweep_(io_),
      session_context_{config.server, router_,   connections_,
                       log,           handlers_, upload_dir_of(platform.data_dir),
                       &metrics_,     &proxies_, &platform} {
    router_.set_guard(
        [this](const Route& route, Request& request) { gatekeeper_.admit(route, request); });
    add_routes(router_, services_);
}

Server::~Server() {
    shut_down();
}

void Server::start() {
    boost::system::error_code ec;
    const auto address = net::ip::make_address(config_.server.host, ec);
    if (ec) throw Error::invalid("server.host: \"" + config_.server.host + "\" is not an address");
    const auto port = config_.server.port;
    if (port < 0 || port > 65535) {
        throw Error::invalid("server.port: " + std::to_string(port) + " is not a port");
    }
    const auto open_files = raise_open_files_limit();
    // Some are the store's, the logs', the media being read: leave room for them.
    const auto wanted = static_cast<std::uint64_t>(config_.server.max_connections) + 64;
    if (open_files < wanted) {
        log_.warn(
            "open files limit below server.max_connections",
            {{"open_files", open_files}, {"max_connections", config_.server.max_connections}});
    }
    listener_ = std::make_shared<Listener>(
        io_, net::ip::tcp::endpoint(address, static_cast<unsigned short>(port)), session_context_);
    listener_->start();
    events_.start();
    schedule_upload_sweep();
    io_work_.emplace(io_.get_executor());
    for (unsigned i = 0; i < io_thread_count_; ++i) {
        io_threads_.emplace_back([this] { io_.run(); });
    }
    log_.info("listening", {{"address", config_.server.host},
                            {"port", listener_->port()},
                            {"data_dir", platform_.data_dir.string()},
                            {"store", platform_.store_url()},
                            {"open_files", open_files}});
}

// Every hour, on the handler pool (it touches files): uploads idle for a day go, even
// those of a tenant that never comes back to announce another.
void Server::schedule_upload_sweep() {
    upload_sweep_.expires_after(std::chrono::hours(1));
    upload_sweep_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) return;
        net::post(handlers_, [this] {
            try {
                const auto removed = platform::UploadSessions(platform_).remove_stale_everywhere();
                if (removed > 0) log_.info("stale uploads removed", {{"count", removed}});
            } catch (const std::exception& e) {
                log_.warn("stale uploads: sweep failed", {{"error", e.what()}});
            }
        });
        schedule_upload_sweep();
    });
}

unsigned short Server::port() const {
    return listener_ ? listener_->port() : 0;
}

void Server::shut_down() {
    if (stopped_) return;
    stopped_ = true;
    log_.info("stopping", {{"open_connections", connections_.count()},
                           {"grace_seconds", config_.server.shutdown_grace_seconds}});
    if (listener_) listener_->stop();
    analyses_.stop();  // cancelled between frames: no cache entry is half written
    const auto grace = std::chrono::duration<double>(config_.server.shutdown_grace_seconds);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(grace);
    connections_.shut_down_all();
    events_.stop();
    const bool drained = connections_.wait_until_empty(deadline);
    if (!drained) {
        log_.warn("shutdown: grace period over", {{"open_connections", connections_.count()}});
    }
    io_work_.reset();
    io_.stop();
    for (auto& thread : io_threads_) thread.join();
    io_threads_.clear();
    handlers_.join();
    log_.info("stopped", {{"drained", drained}});
}

}  // namespace kompo::server
