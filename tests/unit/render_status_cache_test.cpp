// The server's cache of shown render statuses: per (render, last event seq), bounded.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "platform/render_status_cache.hpp"

namespace kompo::platform {
namespace {

std::shared_ptr<const std::string> text(const std::string& value) {
    return std::make_shared<const std::string>(value);
}

TEST(RenderStatusCache, FindsADocumentOnlyAtTheSeqItWasShownAt) {
    RenderStatusCache cache(4);
    EXPECT_EQ(cache.find("r1", 3), nullptr);
    cache.put("r1", 3, text("at 3"));
    ASSERT_NE(cache.find("r1", 3), nullptr);
    EXPECT_EQ(*cache.find("r1", 3), "at 3");
    EXPECT_EQ(cache.find("r1", 4), nullptr);  // a newer event: shown again
    EXPECT_EQ(cache.find("r2", 3), nullptr);
}

TEST(RenderStatusCache, ANewerSeqReplacesTheRendersEntryAndAnOlderOneDoesNot) {
    RenderStatusCache cache(4);
    cache.put("r1", 3, text("at 3"));
    cache.put("r1", 5, text("at 5"));
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(cache.find("r1", 3), nullptr);
    EXPECT_EQ(*cache.find("r1", 5), "at 5");
    cache.put("r1", 4, text("at 4"));  // made before the answer at 5 and stored after it
    EXPECT_EQ(*cache.find("r1", 5), "at 5");
    EXPECT_EQ(cache.find("r1", 4), nullptr);
}

TEST(RenderStatusCache, KeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed) {
    RenderStatusCache cache(3);
    cache.put("a", 1, text("a"));
    cache.put("b", 1, text("b"));
    cache.put("c", 1, text("c"));
    ASSERT_NE(cache.find("a", 1), nullptr);  // a is now the most recently used: b goes first
    cache.put("d", 1, text("d"));
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_EQ(cache.find("b", 1), nullptr);
    EXPECT_NE(cache.find("a", 1), nullptr);
    EXPECT_NE(cache.find("c", 1), nullptr);
    EXPECT_NE(cache.find("d", 1), nullptr);

    for (int i = 0; i < 1000; ++i) cache.put("r" + std::to_string(i), 1, text("x"));
    EXPECT_EQ(cache.size(), 3u);
    EXPECT_NE(cache.find("r999", 1), nullptr);
    EXPECT_EQ(cache.find("r0", 1), nullptr);
}

TEST(RenderStatusCache, ACapacityOfZeroStillKeepsOne) {
    RenderStatusCache cache(0);
    EXPECT_EQ(cache.capacity(), 1u);
    cache.put("a", 1, text("a"));
    cache.put("b", 1, text("b"));
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_NE(cache.find("b", 1), nullptr);
}

TEST(RenderStatusCache, ThreadsSharingItStayWithinTheCapacity) {
    RenderStatusCache cache(16);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&cache, t] {
            for (int i = 0; i < 2000; ++i) {
                const auto id = "r" + std::to_string((i * 7 + t) % 40);
                if (!cache.find(id, i % 5)) cache.put(id, i % 5, text(id));
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_LE(cache.size(), 16u);
}

}  // namespace
}  // namespace kompo::platform
