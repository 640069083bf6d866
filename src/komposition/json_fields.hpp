#pragma once
// Reading JSON values with the path of each value in hand, so that every error names the
// field it is about (`segments[2].start: expected a number, got a string`). Internal to the
// komposition module: nothing outside src/komposition/ includes this.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "komposition/komposition.hpp"

namespace kompo::komp::detail {

// `segments[2]` + `start` → `segments[2].start`; "" + `bpm` → `bpm`.
std::string member_path(std::string_view parent, std::string_view key);
// `segments` + 2 → `segments[2]`.
std::string element_path(std::string_view parent, std::size_t index);

// "a string", "a number", "null", ... for "expected X, got Y".
std::string kind_of(const Json& value);
// `text` as a JSON string literal, shortened, safe to put into a one-line message (a
// document's strings may hold newlines or be megabytes long).
std::string json_quoted(std::string_view text);
// 16 → "16", 0.5 → "0.5", 1e20 → "1e+20".
std::string number_text(double value);
bool is_whole(double value);

// Throws Error(invalid_input) "<path>: <what>".
[[noreturn]] void fail(std::string_view path, std::string_view what);

// The member `key` of `object`, or nullptr when it is absent or null: null counts as
// absent for every optional field (the Elm editor writes null for "not set").
const Json* member(const Json& object, std::string_view key);

const Json& expect_object(const Json& value, std::string_view path);
const Json& expect_array(const Json& value, std::string_view path);
// A finite number (documents built in code may hold infinities; parsed ones never do).
double expect_number(const Json& value, std::string_view path);
std::string expect_string(const Json& value, std::string_view path);
// A whole number that fits an int; `problem` is the message when it is not.
int expect_int(const Json& value, std::string_view path, std::string_view problem);

std::optional<double> optional_number(const Json& object, std::string_view key,
                                      std::string_view parent);
std::optional<std::string> optional_string(const Json& object, std::string_view key,
                                           std::string_view parent);
// `missing_hint` says what the field is, for "<path>: missing (<hint>)".
double required_number(const Json& object, std::string_view key, std::string_view parent,
                       std::string_view missing_hint);
std::string required_string(const Json& object, std::string_view key, std::string_view parent,
                            std::string_view missing_hint);

}  // namespace kompo::komp::detail
