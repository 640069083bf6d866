#pragma once
// How many cores this process may use: the CPUs it may run on (its affinity: `taskset`,
// a container's cpuset) and the CPU limit of its cgroup or of any cgroup above it (a
// container's, a systemd service's `CPUQuota=`: cgroup v2's `cpu.max`, or v1's CFS quota on
// older hosts, rounded up). `hardware_concurrency()`
// counts the machine's cores, which in a Kubernetes pod are the node's: 64 slots or
// encoder threads on a pod limited to 2 CPUs would only queue for them.
#include <sched.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
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

inline std::string first_line_of_file(const std::filesystem::path& path) {
    std::ifstream file(path);
    std::string line;
    std::getline(file, line);
    return line;
}

// The smaller of two limits, either of which may be none.
inline std::optional<int> tighter(std::optional<int> a, std::optional<int> b) {
    if (!a) return b;
    if (!b) return a;
    return std::min(*a, *b);
}

// Whether a v1 line's CONTROLLERS ("cpu,cpuacct") name this one.
inline bool names_controller(std::string_view controllers, std::string_view controller) {
    while (!controllers.empty()) {
        const auto comma = std::min(controllers.find(','), controllers.size());
        if (controllers.substr(0, comma) == controller) return true;
        controllers.remove_prefix(std::min(comma + 1, controllers.size()));
    }
    return false;
}

// This process's cgroup in one hierarchy, from `/proc/self/cgroup`'s lines
// "ID:CONTROLLERS:PATH": cgroup v2's (controller "") is "0::PATH"; a v1 controller's names
// it among CONTROLLERS. "/" (the top) when the process is in no such hierarchy.
inline std::string cgroup_path_of(std::string_view proc_self_cgroup, std::string_view controller) {
    while (!proc_self_cgroup.empty()) {
        const auto end = std::min(proc_self_cgroup.find('\n'), proc_self_cgroup.size());
        const auto line = proc_self_cgroup.substr(0, end);
        proc_self_cgroup.remove_prefix(std::min(end + 1, proc_self_cgroup.size()));
        const auto first = line.find(':');
        const auto second = first == line.npos ? line.npos : line.find(':', first + 1);
        if (second == line.npos) continue;
        const auto controllers = line.substr(first + 1, second - first - 1);
        const bool found = controller.empty() ? line.substr(0, first) == "0" && controllers.empty()
                                              : names_controller(controllers, controller);
        if (found) return std::string(line.substr(second + 1));
    }
    return "/";
}

// The tightest limit from a cgroup up to its hierarchy's top: a parent's limit binds its
// children (systemd's `CPUQuota=` on a slice or service). A container without its own
// cgroup namespace sees its cgroup's files at the top while /proc/self/cgroup names the
// host's path, which does not exist there: a missing folder limits nothing.
template <typename LimitOfFolder>
std::optional<int> tightest_limit_up_from(const std::filesystem::path& top,
                                          const std::string& cgroup_path,
                                          LimitOfFolder limit_of_folder) {
    auto below_top = std::filesystem::path(cgroup_path).relative_path().lexically_normal();
    if (below_top.string().starts_with("..")) below_top.clear();
    std::optional<int> tightest;
    while (true) {
        tightest = tighter(tightest, limit_of_folder(top / below_top));
        if (below_top.empty()) return tightest;
        below_top = below_top.parent_path();
    }
}

// The CPU limit of this process's cgroup and its parents, cgroup v2's `cpu.max` or v1's
// CFS quota, in whole cores; none without one. `root` is where cgroups are mounted
// (`/sys/fs/cgroup`; v1's cpu controller under `cpu/`).
inline std::optional<int> cgroup_cpu_limit(const std::filesystem::path& root,
                                           std::string_view proc_self_cgroup) {
    const auto v2 = tightest_limit_up_from(
        root, cgroup_path_of(proc_self_cgroup, ""), [](const std::filesystem::path& folder) {
            return cores_of_cpu_max(first_line_of_file(folder / "cpu.max"));
        });
    const auto v1 = tightest_limit_up_from(
        root / "cpu", cgroup_path_of(proc_self_cgroup, "cpu"),
        [](const std::filesystem::path& folder) {
            return cores_of_cfs_quota(first_line_of_file(folder / "cpu.cfs_quota_us"),
                                      first_line_of_file(folder / "cpu.cfs_period_us"));
        });
    return tighter(v2, v1);
}

inline std::string whole_file(const std::filesystem::path& path) {
    std::ifstream file(path);
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

inline int usable_cores() {
    int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0) {
        cores = std::min(cores, std::max(1, CPU_COUNT(&allowed)));
    }
    const auto limit = cgroup_cpu_limit("/sys/fs/cgroup", whole_file("/proc/self/cgroup"));
    if (limit) cores = std::min(cores, *limit);
    return cores;
}

}  // namespace kompo
