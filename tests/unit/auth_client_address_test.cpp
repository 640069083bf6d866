// Who the client is behind trusted reverse proxies (server.trusted_proxies).
#include <gtest/gtest.h>

#include "auth/client_address.hpp"
#include "core/error.hpp"

namespace kompo::auth {
namespace {

TEST(AuthClientAddress, WithoutTrustedProxiesThePeerIsTheClientWhateverItSays) {
    const TrustedProxies none;
    EXPECT_EQ(none.client_of("203.0.113.7", "198.51.100.1"), "203.0.113.7");
}

TEST(AuthClientAddress, ATrustedProxysHeaderIsReadFromTheRightPastOurOwnProxies) {
    const TrustedProxies proxies("127.0.0.1, 10.0.0.0/8, fd00::/8");
    EXPECT_EQ(proxies.client_of("127.0.0.1", "203.0.113.7"), "203.0.113.7");
    // The client wrote the leftmost entry itself: only what our proxies appended counts.
    EXPECT_EQ(proxies.client_of("127.0.0.1", "1.2.3.4, 203.0.113.7, 10.0.0.5"), "203.0.113.7");
    EXPECT_EQ(proxies.client_of("::ffff:10.1.1.1", "2001:db8::1"), "2001:db8::1");
    EXPECT_EQ(proxies.client_of("fd12::1", "198.51.100.2"), "198.51.100.2");
    // Every hop ours: the first one asked.
    EXPECT_EQ(proxies.client_of("127.0.0.1", "10.0.0.9, 10.0.0.5"), "10.0.0.9");
    // An untrusted peer's header is ignored; a header that is not a list of addresses too.
    EXPECT_EQ(proxies.client_of("11.0.0.1", "203.0.113.7"), "11.0.0.1");
    EXPECT_EQ(proxies.client_of("127.0.0.1", "203.0.113.7, unknown"), "127.0.0.1");
    EXPECT_EQ(proxies.client_of("127.0.0.1", ""), "127.0.0.1");
}

TEST(AuthClientAddress, ABadEntryIsRefusedNamingTheSetting) {
    for (const auto* bad : {"10.0.0.0/33", "proxy.local", "10.0.0.0/", "::1/129", "1.2.3.4/x"}) {
        try {
            TrustedProxies proxies(bad);
            FAIL() << bad << " was accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("server.trusted_proxies: \"" + std::string(bad)),
                      std::string::npos)
                << e.what();
        }
    }
}

}  // namespace
}  // namespace kompo::auth
