#pragma once
// The clock every process agrees on: wall-clock milliseconds since the Unix epoch,
// comparable across processes and machines (stored times, leases, backoffs).
#include <chrono>
#include <cstdint>

namespace kompo {

using Millis = std::int64_t;

inline Millis now_millis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace kompo
