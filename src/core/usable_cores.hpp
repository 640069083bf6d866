#pragma once
// How many cores this process may use: the CPUs it may run on (its affinity: `taskset`,
// a container's cpuset) and, in a container with a CPU limit, that limit (cgroup v2's
// `cpu.max`, or v1's CFS quota on older hosts, rounded up). `hardware_concurrency()`
// counts the machine's cores, which in a Kubernetes pod are the node's: 64 slots or
// encoder threads on a pod limited to 2 CPUs would only queue for them.
#include <sched.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace kompo {

// A positive whole number, trailing newline or spaces allowed; none otherwise.
inline std::optional<long long> positive_number_in(std::string_view digits) {
    while (!digits.empty() && (digits.back() == '\n' || digits.back() == ' ')) {
        digits.remove_suffix(1);
    }
    long long value = 0;
    const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc() || end != digits.data() + digits.size() || value <= 0) {
        return std::nullopt;
    }
    return value;
}

// A CPU limit of QUOTA per PERIOD, in whole cores (rounded up, at least 1); none when
// either is not a positive number ("max" in cgroup v2, -1 in v1).
inline std::optional<int> cores_of_cfs_quota(std::string_view quota, std::string_view period) {
    const auto q = positive_number_in(quota);
    const auto p = positive_number_in(period);
    if (!q || !p) return std::nullopt;
    return static_cast<int>(std::max(1LL, (*q + *p - 1) / *p));
}

// cgroup v2 says it in one file, `cpu.max`: "QUOTA PERIOD" ("max PERIOD" for none).
// cgroup v1 in two: `cpu.cfs_quota_us`, `cpu.cfs_period_us`.
inline std::optional<int> cores_of_cpu_max(std::string_view text) {
    const auto space = text.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    return cores_of_cfs_quota(text.substr(0, space), text.substr(space + 1));
}

inline std::string first_line_of_file(const char* path) {
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    return line;
}

// The CPU limit of this process's cgroup, v2 or else v1, in whole cores; none without one.
inline std::optional<int> cgroup_cpu_limit() {
    const auto v2 = first_line_of_file("/sys/fs/cgroup/cpu.max");
    if (!v2.empty()) return cores_of_cpu_max(v2);
    return cores_of_cfs_quota(first_line_of_file("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
                              first_line_of_file("/sys/fs/cgroup/cpu/cpu.cfs_period_us"));
}

inline int usable_cores() {
    int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
        cores = std::min(cores, std::max(1, CPU_COUNT(&allowed)));
    }
    if (const auto limit = cgroup_cpu_limit()) cores = std::min(cores, *limit);
    return cores;
}

}  // namespace kompo
