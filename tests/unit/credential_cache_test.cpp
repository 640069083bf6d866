// The accounts' cache of credentials signed in with: per (secret hash, accounts revision),
// bounded. What keeps it honest is the revision: tested here, and against each store
// backend (accounts_store_test.cpp: another process's revocation is refused at once).
#include <gtest/gtest.h>

#include <string>

#include "auth/credential_cache.hpp"

namespace kompo::auth {
namespace {

CredentialCache::Entry entry_of(const std::string& user) {
    return {Principal{user + "-id", user, "studio", Role::editor, CredentialKind::api, "c1"}, 0, 0};
}

TEST(CredentialCache, FindsACredentialOnlyAtTheRevisionItWasReadAt) {
    CredentialCache cache(4);
    EXPECT_FALSE(cache.find("h1", 7).has_value());
    cache.put("h1", 7, entry_of("ada"));
    ASSERT_TRUE(cache.find("h1", 7).has_value());
    EXPECT_EQ(cache.find("h1", 7)->principal.user_name, "ada");
    EXPECT_FALSE(cache.find("h1", 8).has_value());  // something changed since: read again
    EXPECT_FALSE(cache.find("h1", 6).has_value());
    EXPECT_FALSE(cache.find("h2", 7).has_value());
}

TEST(CredentialCache, ANewerRevisionForgetsEverythingAndAnOlderReadIsNotKept) {
    CredentialCache cache(4);
    cache.put("h1", 7, entry_of("ada"));
    cache.put("h2", 8, entry_of("bob"));
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_FALSE(cache.find("h1", 8).has_value());
    // Read before revision 8 (a slower request): what it saw may be revoked by now.
    cache.put("h1", 7, entry_of("ada"));
    EXPECT_FALSE(cache.find("h1", 7).has_value());
    EXPECT_FALSE(cache.find("h1", 8).has_value());
    EXPECT_EQ(cache.find("h2", 8)->principal.user_name, "bob");
}

TEST(CredentialCache, KeepsNoMoreThanItsCapacity) {
    CredentialCache cache(2);
    cache.put("h1", 1, entry_of("ada"));
    cache.put("h2", 1, entry_of("bob"));
    cache.put("h3", 1, entry_of("cy"));
    EXPECT_EQ(cache.size(), 2u);
    EXPECT_EQ(cache.find("h3", 1)->principal.user_name, "cy");
    cache.put("h3", 1, entry_of("cy"));  // replacing makes no room
    EXPECT_EQ(cache.size(), 2u);
}

}  // namespace
}  // namespace kompo::auth
