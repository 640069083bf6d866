#include "server/security_headers.hpp"

namespace kompo::server {

namespace {

// Styles may be inline (the Elm editor sets style attributes) and come from the CDN the
// Elm editor's page loads Bootstrap from; scripts never inline, never from elsewhere.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

}  // namespace

void add_security_headers(Reply& reply) {
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("X-Frame-Options", "SAMEORIGIN");
    reply.header("Referrer-Policy", "same-origin");
    reply.header("Content-Security-Policy", kContentSecurityPolicy);
}

}  // namespace kompo::server
