#include "auth/client_address.hpp"

#include <algorithm>
#include <optional>

#include "core/error.hpp"

namespace kompo::auth {

namespace {

namespace ip = boost::asio::ip;

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> parts;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const auto end = std::min(text.find(',', begin), text.size());
        parts.push_back(trimmed(text.substr(begin, end - begin)));
        begin = end + 1;
    }
    return parts;
}

std::optional<ip::address> address_of(const std::string& text) {
    boost::system::error_code ec;
    auto address = ip::make_address(text, ec);
    if (ec) return std::nullopt;
    // An IPv4 client seen on an IPv6 socket ("::ffff:10.0.0.1") is that IPv4 client.
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        return ip::make_address_v4(ip::v4_mapped, address.to_v6());
    }
    return address;
}

// The first `prefix` bits of both addresses' bytes agree.
template <class Bytes>
bool same_prefix(const Bytes& a, const Bytes& b, unsigned prefix) {
    for (std::size_t i = 0; i < a.size() && prefix > 0; ++i) {
        const unsigned bits = std::min(prefix, 8u);
        const auto mask = static_cast<unsigned char>(0xff << (8 - bits));
        if ((a[i] & mask) != (b[i] & mask)) return false;
        prefix -= bits;
    }
    return true;
}

}  // namespace

TrustedProxies::TrustedProxies(const std::string& list) {
    if (trimmed(list).empty()) return;
    for (const auto& entry : split_list(list)) {
        const auto slash = entry.find('/');
        const auto address = address_of(entry.substr(0, slash));
        const unsigned most = address && address->is_v4() ? 32 : 128;
        unsigned prefix = most;
        bool valid = address.has_value();
        if (valid && slash != std::string::npos) {
            const auto bits = entry.substr(slash + 1);
            valid =
                !bits.empty() && bits.size() <= 3 &&
                std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; });
            if (valid) prefix = static_cast<unsigned>(std::stoul(bits));
            valid = valid && prefix <= most;
        }
        if (!valid) {
            throw Error::invalid("server.trusted_proxies: \"" + entry +
                                 "\" is not an address or a network (10.0.0.0/8)");
        }
        networks_.push_back({*address, prefix});
    }
}

bool TrustedProxies::trusted(const ip::address& address) const {
    return std::any_of(networks_.begin(), networks_.end(), [&](const Network& n) {
        if (n.address.is_v4() != address.is_v4()) return false;
        return n.address.is_v4()
                   ? same_prefix(n.address.to_v4().to_bytes(), address.to_v4().to_bytes(), n.prefix)
                   : same_prefix(n.address.to_v6().to_bytes(), address.to_v6().to_bytes(),
                                 n.prefix);
    });
}

std::string TrustedProxies::client_of(const std::string& peer,
                                      const std::string& forwarded_for) const {
    const auto from = address_of(peer);
    if (!from || !trusted(*from) || trimmed(forwarded_for).empty()) return peer;
    std::vector<ip::address> chain;
    for (const auto& hop : split_list(forwarded_for)) {
        const auto address = address_of(hop);
        if (!address) return peer;  // not what a proxy writes: believe none of it
        chain.push_back(*address);
    }
    for (auto hop = chain.rbegin(); hop != chain.rend(); ++hop) {
        if (!trusted(*hop)) return hop->to_string();
    }
    return chain.front().to_string();  // every hop a proxy of ours: the first one asked
}

}  // namespace kompo::auth
