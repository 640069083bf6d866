// How many cores a process may use: a container's CPU limit (cgroup v2 `cpu.max`, or v1's
// CFS quota and period) read in whole cores, rounded up; no limit for "max", -1 or text
// that is not a limit.
#include <gtest/gtest.h>

#include <thread>

#include "core/usable_cores.hpp"

namespace kompo {
namespace {

TEST(UsableCores, ACpuLimitIsReadInWholeCoresRoundedUp) {
    EXPECT_EQ(cores_of_cpu_max("200000 100000\n"), 2);
    EXPECT_EQ(cores_of_cpu_max("150000 100000"), 2);
    EXPECT_EQ(cores_of_cpu_max("50000 100000"), 1);
    EXPECT_EQ(cores_of_cpu_max("1600000 100000"), 16);
}

TEST(UsableCores, NoLimitOrAnUnreadableOneLimitsNothing) {
    EXPECT_EQ(cores_of_cpu_max("max 100000\n"), std::nullopt);
    EXPECT_EQ(cores_of_cpu_max(""), std::nullopt);
    EXPECT_EQ(cores_of_cpu_max("200000"), std::nullopt);
    EXPECT_EQ(cores_of_cpu_max("-1 100000"), std::nullopt);
    EXPECT_EQ(cores_of_cpu_max("2e5 100000"), std::nullopt);
    EXPECT_EQ(cores_of_cpu_max("200000 0"), std::nullopt);
}

TEST(UsableCores, ACgroupV1QuotaIsReadTheSameWay) {
    EXPECT_EQ(cores_of_cfs_quota("200000\n", "100000\n"), 2);
    EXPECT_EQ(cores_of_cfs_quota("150000", "100000"), 2);
    EXPECT_EQ(cores_of_cfs_quota("-1\n", "100000\n"), std::nullopt);
    EXPECT_EQ(cores_of_cfs_quota("", ""), std::nullopt);
}

TEST(UsableCores, NeverMoreThanTheMachineHasNorLessThanOne) {
    const int cores = usable_cores();
    EXPECT_GE(cores, 1);
    EXPECT_LE(cores, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace kompo
