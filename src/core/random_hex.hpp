#pragma once
// Random lowercase hex digits for ids and file names (execution ids, worker ids,
// temporary artifacts): unpredictable, without shared generator state.
#include <cstddef>
#include <random>
#include <string>

namespace kompo {

inline std::string random_hex(std::size_t digits) {
    std::random_device device;
    std::uniform_int_distribution<int> digit(0, 15);
    std::string text;
    for (std::size_t i = 0; i < digits; ++i) text += "0123456789abcdef"[digit(device)];
    return text;
}

}  // namespace kompo
