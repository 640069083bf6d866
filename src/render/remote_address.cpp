#include "render/remote_address.hpp"

#include <array>
#include <cstdint>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "core/error.hpp"

namespace kompo::render {

namespace ip = boost::asio::ip;

namespace {

struct V4Block {
    std::uint32_t network;
    int prefix;
};

// Everything in IANA's IPv4 special-purpose registry that is not globally reachable,
// plus multicast and the reserved 240/4.
constexpr std::array<V4Block, 15> kRefusedV4{{
    {0x00000000, 8},   // 0.0.0.0/8: "this network", 0.0.0.0 unspecified
    {0x0A000000, 8},   // 10/8: private
    {0x64400000, 10},  // 100.64/10: carrier-grade NAT
    {0x7F000000, 8},   // 127/8: loopback
    {0xA9FE0000, 16},  // 169.254/16: link-local, cloud metadata services
    {0xAC100000, 12},  // 172.16/12: private
    {0xC0000000, 24},  // 192.0.0/24: IETF protocol assignments
    {0xC0000200, 24},  // 192.0.2/24: documentation
    {0xC0586300, 24},  // 192.88.99/24: 6to4 relays
    {0xC0A80000, 16},  // 192.168/16: private
    {0xC6120000, 15},  // 198.18/15: benchmarking
    {0xC6336400, 24},  // 198.51.100/24: documentation
    {0xCB007100, 24},  // 203.0.113/24: documentation
    {0xE0000000, 4},   // 224/4: multicast
    {0xF0000000, 4},   // 240/4: reserved, 255.255.255.255 broadcast
}};

bool v4_allowed(const ip::address_v4& address) {
    const std::uint32_t value = address.to_uint();
    for (const auto& block : kRefusedV4) {
        const std::uint32_t mask = ~std::uint32_t{0} << (32 - block.prefix);
        if ((value & mask) == block.network) return false;
    }
    return true;
}

ip::address_v4 v4_at(const ip::address_v6::bytes_type& bytes, std::size_t offset) {
    return ip::address_v4(ip::address_v4::bytes_type{bytes[offset], bytes[offset + 1],
                                                     bytes[offset + 2], bytes[offset + 3]});
}

bool zeros(const ip::address_v6::bytes_type& bytes, std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
        if (bytes[i] != 0) return false;
    }
    return true;
}

bool v6_allowed(const ip::address_v6& address) {
    const auto b = address.to_bytes();
    // Forms that embed an IPv4 address reach that address: judge it instead.
    if (address.is_v4_mapped()) return v4_allowed(v4_at(b, 12));  // ::ffff:0:0/96
    if (zeros(b, 0, 12)) return v4_allowed(v4_at(b, 12));         // ::/96 (::, ::1 too)
    if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && zeros(b, 4, 12)) {
        return v4_allowed(v4_at(b, 12));  // 64:ff9b::/96 NAT64
    }
    if (b[0] == 0x20 && b[1] == 0x02) return v4_allowed(v4_at(b, 2));  // 2002::/16 6to4
    if ((b[0] & 0xe0) != 0x20)
        return false;  // outside 2000::/3 global unicast: ULA, link-local, multicast...
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00) return false;  // Teredo
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
        return false;  // documentation
    return true;
}

}  // namespace

bool remote_address_allowed(const ip::address& address) {
    return address.is_v4() ? v4_allowed(address.to_v4()) : v6_allowed(address.to_v6());
}

std::vector<ip::address> resolve_remote_host(const std::string& host) {
    boost::asio::io_context io;
    ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    const auto results = resolver.resolve(host, "443", ec);
    if (ec || results.empty()) {
        throw Error::media("host \"" + host + "\" does not resolve" +
                           (ec ? " (" + ec.message() + ")" : std::string()));
    }
    std::vector<ip::address> addresses;
    for (const auto& entry : results) {
        const auto address = entry.endpoint().address();
        if (!remote_address_allowed(address)) {
            throw Error::invalid("host \"" + host + "\" resolves to " + address.to_string() +
                                 ", which is not a public address; remote media must be public");
        }
        addresses.push_back(address);
    }
    return addresses;
}

}  // namespace kompo::render
