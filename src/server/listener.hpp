#pragma once
// Accepts connections and starts a session for each, refusing what is over the
// connection limit or arrives during shutdown.
#include <memory>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "server/http_session.hpp"

namespace kompo::server {

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    // Binds and listens; throws Error(io) naming the address when it cannot.
    Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             SessionContext& context);

    void start();
    void stop();
    unsigned short port() const;

  private:
    void accept();
    void accept_after_pause(const boost::system::error_code& error);

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer pause_;  // between failed accepts
    SessionContext& context_;
};

}  // namespace kompo::server
