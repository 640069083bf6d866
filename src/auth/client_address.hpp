#pragma once
// Who the client is behind a reverse proxy: the address a request came from, or, when it
// came from a proxy the operator trusts (server.trusted_proxies), the address that proxy
// says it came from (X-Forwarded-For). Per-address limits, the access log and the audit
// log all use it, so none of them sees only the proxy.
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace kompo::auth {

class TrustedProxies {
  public:
    // A comma-separated list of addresses and networks ("127.0.0.1, 10.0.0.0/8, ::1");
    // empty: no proxy is trusted. Throws Error(invalid_input) naming server.trusted_proxies.
    explicit TrustedProxies(const std::string& list = "");

    bool empty() const { return networks_.empty(); }
    // The peer itself unless it is trusted; then X-Forwarded-For read from the right (each
    // proxy appends who it heard from): the first address that is not a trusted proxy.
    // A header that is missing or not an address list leaves the peer (the proxy) as the
    // client: a forged value cannot make a request look like it came from anywhere but
    // its real, untrusted source.
    std::string client_of(const std::string& peer, const std::string& forwarded_for) const;

  private:
    struct Network {
        boost::asio::ip::address address;
        unsigned prefix = 0;  // bits that must match
    };
    bool trusted(const boost::asio::ip::address& address) const;

    std::vector<Network> networks_;
};

}  // namespace kompo::auth
