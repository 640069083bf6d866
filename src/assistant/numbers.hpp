#pragma once
// Numbers written as words ("thirty two", "a hundred and twenty") as digits, for the
// interpreter's grammar. Internal to the assistant module.
#include <string>

namespace kompo::assistant::detail {

// Lower-cased `text` with number words replaced by digits, units split from numbers
// ("1.25s" → "1.25 s", "135bpm" → "135 bpm"), "beats per minute" → "bpm", and every
// character other than letters, digits, '.', '_', '-', '\'' and 'x' between numbers a space.
std::string normalize_numbers(const std::string& text);

}  // namespace kompo::assistant::detail
