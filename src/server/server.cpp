#include "server/server.hpp"

#include <sys/stat.h>

#include <fstream>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/address.hpp>

#include "core/error.hpp"
#include "core/random_hex.hpp"
#include "server/listener.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace net = boost::asio;
namespace fs = std::filesystem;

namespace {

unsigned thread_count(int configured) {
    if (configured > 0) return static_cast<unsigned>(configured);
    return std::max(2u, std::thread::hardware_concurrency());
}

fs::path upload_dir_of(const fs::path& data_dir) {
    const auto dir = data_dir / "uploads";
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error::io(dir.string() + ": cannot create: " + ec.message());
    return dir;
}

}  // namespace

std::string resolve_api_token(const platform::Config& config, const fs::path& data_dir) {
    if (!config.server.api_token.empty()) return config.server.api_token;
    const auto path = data_dir / "api-token";
    if (std::ifstream in(path); in) {
        std::string token;
        std::getline(in, token);
        if (!token.empty()) return token;
    }
    const auto token = random_hex(32);
    const auto temp = data_dir / (".api-token-" + random_hex(4));
    {
        std::ofstream out(temp);
        out << token << "\n";
        if (!out) throw Error::io(path.string() + ": cannot write");
    }
    ::chmod(temp.c_str(), S_IRUSR | S_IWUSR);
    fs::rename(temp, path);
    return token;
}

Server::Server(platform::Platform& platform, const platform::Config& config, Log& log)
    : platform_(platform),
      config_(config),
      log_(log),
      connections_(static_cast<std::size_t>(std::max(1, config.server.max_connections))),
      events_(*platform.store, log),
      metrics_(platform, events_),
      services_{platform,
                config,
                log,
                events_,
                metrics_,
                connections_,
                resolve_api_token(config, platform.data_dir)},
      io_(static_cast<int>(thread_count(config.server.threads))),
      handlers_(thread_count(config.server.threads) * 2),
      session_context_{config.server, router_,   connections_,
                       log,           handlers_, upload_dir_of(platform.data_dir),
                       &metrics_} {
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
    listener_ = std::make_shared<Listener>(
        io_, net::ip::tcp::endpoint(address, static_cast<unsigned short>(port)), session_context_);
    listener_->start();
    events_.start();
    for (unsigned i = 0; i < thread_count(config_.server.threads); ++i) {
        io_threads_.emplace_back([this] { io_.run(); });
    }
    log_.info("listening", {{"address", config_.server.host},
                            {"port", listener_->port()},
                            {"data_dir", platform_.data_dir.string()},
                            {"store", platform_.store->url()}});
}

unsigned short Server::port() const {
    return listener_ ? listener_->port() : 0;
}

void Server::shut_down() {
    if (stopped_) return;
    stopped_ = true;
    if (listener_) listener_->stop();
    const auto grace = std::chrono::duration<double>(config_.server.shutdown_grace_seconds);
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(grace);
    connections_.shut_down_all();
    events_.stop();
    const bool drained = connections_.wait_until_empty(deadline);
    if (!drained) {
        log_.warn("shutdown: grace period over", {{"open_connections", connections_.count()}});
    }
    io_.stop();
    for (auto& thread : io_threads_) thread.join();
    io_threads_.clear();
    handlers_.join();
    log_.info("stopped", {{"drained", drained}});
}

}  // namespace kompo::server
