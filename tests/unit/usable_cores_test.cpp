// How many cores a process may use: a container's CPU limit (cgroup v2 `cpu.max`, or v1's
// CFS quota and period) read in whole cores, rounded up; no limit for "max", -1 or text
// that is not a limit; and the tightest limit on the way from the process's cgroup (as
// /proc/self/cgroup names it) up to the top, read from a cgroup tree laid out in a scratch
// folder as the kernel mounts it.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "core/usable_cores.hpp"
#include "support/support.hpp"

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

void write_file(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << text;
}

TEST(UsableCores, ALimitAboveTheProcesssCgroupBindsIt) {
    const auto root = test::scratch_dir();
    write_file(root / "cpu.max", "max 100000\n");
    write_file(root / "system.slice/cpu.max", "400000 100000\n");
    write_file(root / "system.slice/kompo.service/cpu.max", "max 100000\n");
    EXPECT_EQ(cgroup_cpu_limit(root, "0::/system.slice/kompo.service\n"), 4);
    write_file(root / "system.slice/kompo.service/cpu.max", "150000 100000\n");
    EXPECT_EQ(cgroup_cpu_limit(root, "0::/system.slice/kompo.service\n"), 2);
    EXPECT_EQ(cgroup_cpu_limit(root, "0::/user.slice\n"), std::nullopt);
}

TEST(UsableCores, ACgroupV1ProcessIsFoundByItsCpuController) {
    const auto root = test::scratch_dir();
    write_file(root / "cpu/cpu.cfs_quota_us", "-1\n");
    write_file(root / "cpu/cpu.cfs_period_us", "100000\n");
    write_file(root / "cpu/kubepods/pod7/cpu.cfs_quota_us", "300000\n");
    write_file(root / "cpu/kubepods/pod7/cpu.cfs_period_us", "100000\n");
    const std::string proc_self_cgroup =
        "4:memory:/elsewhere\n2:cpu,cpuacct:/kubepods/pod7/worker\n0::/\n";
    EXPECT_EQ(cgroup_cpu_limit(root, proc_self_cgroup), 3);
    EXPECT_EQ(cgroup_cpu_limit(root, "4:memory:/kubepods/pod7\n0::/\n"), std::nullopt);
}

TEST(UsableCores, AContainerSeesItsOwnLimitAtTheTopWhateverPathItIsNamed) {
    const auto root = test::scratch_dir() / "sys/fs/cgroup";
    write_file(root / "cpu.max", "200000 100000\n");
    write_file(root / "../cpu.max", "100000 100000\n");  // not a cgroup: never read
    EXPECT_EQ(cgroup_cpu_limit(root, "0::/docker/0123abcd\n"), 2);
    EXPECT_EQ(cgroup_cpu_limit(root, "0::/../../host.slice\n"), 2);
    EXPECT_EQ(cgroup_cpu_limit(root, ""), 2);
}

TEST(UsableCores, NeverMoreThanTheMachineHasNorLessThanOne) {
    const int cores = usable_cores();
    EXPECT_GE(cores, 1);
    EXPECT_LE(cores, static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace kompo
