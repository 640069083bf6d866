#include "server/stream_reply.hpp"

#include <memory>

#include <boost/beast/http.hpp>

#include "server/security_headers.hpp"

namespace kompo::server {

void write_reply_and_close(boost::beast::tcp_stream stream, const Request& request, Reply reply) {
    add_security_headers(reply);
    auto response = std::make_shared<http::response<http::string_body>>(reply.status, 11);
    for (const auto& [name, value] : reply.headers) response->set(name, value);
    response->set("X-Request-Id", request.request_id);
    response->body() = std::move(reply.body);
    response->keep_alive(false);
    response->prepare_payload();
    auto owned = std::make_shared<boost::beast::tcp_stream>(std::move(stream));
    http::async_write(*owned, *response, [owned, response](boost::beast::error_code, std::size_t) {
        boost::beast::error_code ignored;
        owned->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    });
}

}  // namespace kompo::server
