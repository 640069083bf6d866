#pragma once
// Which hosts a remote source could be fetched from: the guard against a komposition
// that points the server at itself or its private network (SSRF); remote_fetch.hpp
// applies it.
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>

namespace kompo::render {

// False for addresses that are not public unicast: unspecified, loopback, private (RFC
// 1918, fc00::/7), carrier-grade NAT (100.64/10), link-local (169.254/16 with the cloud
// metadata service, fe80::/10), multicast, broadcast, reserved and documentation ranges,
// and IPv6 outside 2000::/3. IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d,
// ::a.b.c.d, 64:ff9b::/96, 2002::/16) are judged by that address; Teredo is refused.
bool remote_address_allowed(const boost::asio::ip::address& address);

// Every address `host` (a name or an IP literal, without brackets) resolves to. Throws
// Error(invalid_input) naming the host and the address when any one is not allowed, and
// Error(media) when it does not resolve. A fetcher must connect to these addresses, not
// resolve the name again (which could answer differently: DNS rebinding).
std::vector<boost::asio::ip::address> resolve_remote_host(const std::string& host);

}  // namespace kompo::render
