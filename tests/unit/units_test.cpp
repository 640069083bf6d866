// Frame numbers and frame counts are different things: a position and a length. The
// types allow only the arithmetic that makes sense between them.
#include "core/units.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <type_traits>

namespace kompo {
namespace {

template <typename A, typename B>
concept Addable = requires(A a, B b) {
    a + b;
};
template <typename A, typename B>
concept Subtractable = requires(A a, B b) {
    a - b;
};

// What does not mean anything does not compile.
static_assert(!Addable<FrameIndex, FrameIndex>, "two frame numbers do not add up");
static_assert(!Subtractable<FrameIndex, FrameCount>, "a position before another: not needed");
static_assert(!Addable<FrameCount, FrameIndex>, "write the position first");
static_assert(!std::is_convertible_v<std::int64_t, FrameCount>, "a count is named as one");
static_assert(!std::is_convertible_v<FrameCount, FrameIndex>, "a count is no position");

TEST(FrameUnits, APositionPlusACountIsAPositionAndTheirDifferenceACount) {
    const FrameIndex first(30);
    const FrameCount count(90);
    EXPECT_EQ((first + count).value(), 120);
    EXPECT_EQ(((first + count) - first).value(), 90);
    EXPECT_EQ((count + FrameCount(10)).value(), 100);
    FrameCount done;
    done += FrameCount(8);
    EXPECT_EQ((++done).value(), 9);
    EXPECT_LT(done, count);
}

TEST(FrameUnits, ACountLastsItsFramesAtTheRate) {
    const FrameRate ntsc{30000, 1001};
    EXPECT_DOUBLE_EQ(ntsc.duration_of(FrameCount(30000)).value(), 1001.0);
    EXPECT_DOUBLE_EQ(ntsc.duration_of(FrameCount(90)).value(),
                     ntsc.time_of(FrameIndex(90)).value());
}

}  // namespace
}  // namespace kompo
