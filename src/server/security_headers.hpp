#pragma once
// The headers every answer carries, so that a browser treats the platform's pages and
// files safely: no MIME sniffing, no framing by other sites (the web app may still show
// the platform's own Elm editor page in its iframe), scripts from the platform only.
#include <array>
#include <string_view>
#include <utility>

#include "server/http_types.hpp"

namespace kompo::server {

// Every answer's security headers, as (name, value): for answers that are not a Reply
// (an event stream's header, a WebSocket handshake).
const std::array<std::pair<std::string_view, std::string_view>, 4>& security_headers();

void add_security_headers(Reply& reply);

}  // namespace kompo::server
