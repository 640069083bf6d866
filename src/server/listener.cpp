#include "server/listener.hpp"

#include <chrono>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "core/error.hpp"

namespace kompo::server {

namespace net = boost::asio;
using net::ip::tcp;

Listener::Listener(net::io_context& io, const tcp::endpoint& endpoint, SessionContext& context)
    : io_(io),
      acceptor_(net::make_strand(io)),
      pause_(acceptor_.get_executor()),
      context_(context) {
    boost::system::error_code ec;
    const auto where = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw Error::io("server.host/server.port " + where + ": cannot listen: " + ec.message());
}

void Listener::start() {
    accept();
}

void Listener::stop() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
        self->pause_.cancel();
    });
}

unsigned short Listener::port() const {
    return acceptor_.local_endpoint().port();
}

void Listener::accept() {
    acceptor_.async_accept(
        net::make_strand(io_),
        [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
            if (ec) return self->accept_after_pause(ec);
            auto session = std::make_shared<HttpSession>(std::move(socket), self->context_);
            if (self->context_.connections.add(session)) {
                session->start();
            } else {
                self->context_.log.warn("connection refused",
                                        {{"reason", "connection limit or shutting down"}});
            }
            self->accept();
        });
}

void Listener::accept_after_pause(const boost::system::error_code& error) {
    // Out of file descriptors (or another refusal of the system): the connection waits in
    // the backlog. Accepting again at once would spin on the same error.
    context_.log.warn("accept failed; retrying in 100 ms", {{"error", error.message()}});
    pause_.expires_after(std::chrono::milliseconds(100));
    pause_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || !self->acceptor_.is_open()) return;
        self->accept();
    });
}

}  // namespace kompo::server
