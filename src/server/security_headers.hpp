#pragma once
// The headers every answer carries, so that a browser treats the platform's pages and
// files safely: no MIME sniffing, no framing by other sites (the web app may still show
// the platform's own Elm editor page in its iframe), scripts from the platform only.
#include "server/http_types.hpp"

namespace kompo::server {

void add_security_headers(Reply& reply);

}  // namespace kompo::server
