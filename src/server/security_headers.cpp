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

const std::array<std::pair<std::string_view, std::string_view>, 4>& security_headers() {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kHeaders{{
        {"X-Content-Type-Options", "nosniff"},
        {"X-Frame-Options", "SAMEORIGIN"},
        {"Referrer-Policy", "same-origin"},
        {"Content-Security-Policy", kContentSecurityPolicy},
    }};
    return kHeaders;
}

void add_security_headers(Reply& reply) {
    for (const auto& [name, value] : security_headers()) {
        reply.header(std::string(name), std::string(value));
    }
}

}  // namespace kompo::server
