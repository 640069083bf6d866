#pragma once
// An answer written on a connection a stream route took over, when it refuses before
// upgrading (unknown render, not signed in): then the connection closes.
#include <boost/beast/core/tcp_stream.hpp>

#include "server/http_types.hpp"

namespace kompo::server {

void write_reply_and_close(boost::beast::tcp_stream stream, const Request& request, Reply reply);

}  // namespace kompo::server
