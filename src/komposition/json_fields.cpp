#include "komposition/json_fields.hpp"

#include <climits>
#include <cmath>
#include <cstdio>

#include "core/error.hpp"
#include "core/field_error.hpp"

namespace kompo::komp::detail {

namespace {
// Long enough to recognise a value, short enough to keep the message on one screen line.
constexpr std::size_t kMaxQuotedBytes = 60;

// Cuts at most `limit` bytes without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t limit) {
    if (text.size() <= limit) return text;
    std::size_t end = limit;
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end);
}
}  // namespace

std::string member_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) return std::string(key);
    return std::string(parent) + "." + std::string(key);
}

std::string element_path(std::string_view parent, std::size_t index) {
    return std::string(parent) + "[" + std::to_string(index) + "]";
}

std::string kind_of(const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            return "null";
        case Json::value_t::object:
            return "an object";
        case Json::value_t::array:
            return "an array";
        case Json::value_t::string:
            return "a string";
        case Json::value_t::boolean:
            return "a boolean";
        case Json::value_t::number_integer:
        case Json::value_t::number_unsigned:
        case Json::value_t::number_float:
            return "a number";
        default:
            return "an unsupported value";
    }
}

std::string json_quoted(std::string_view text) {
    const std::string_view shown = utf8_prefix(text, kMaxQuotedBytes);
    std::string literal =
        Json(std::string(shown)).dump(-1, ' ', false, Json::error_handler_t::replace);
    if (shown.size() < text.size()) literal.insert(literal.size() - 1, "...");
    return literal;
}

bool is_whole(double value) {
    return std::isfinite(value) && value == std::floor(value);
}

std::string number_text(double value) {
    if (is_whole(value) && std::abs(value) < 1e15) {
        return std::to_string(static_cast<long long>(value));
    }
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

void fail(std::string_view path, std::string_view what) {
    throw FieldError(std::string(path), std::string(what));
}

const Json* member(const Json& object, std::string_view key) {
    if (!object.is_object()) return nullptr;
    auto it = object.find(std::string(key));
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
}

const Json& expect_object(const Json& value, std::string_view path) {
    if (!value.is_object()) fail(path, "expected an object, got " + kind_of(value));
    return value;
}

const Json& expect_array(const Json& value, std::string_view path) {
    if (!value.is_array()) fail(path, "expected an array, got " + kind_of(value));
    return value;
}

double expect_number(const Json& value, std::string_view path) {
    if (!value.is_number()) fail(path, "expected a number, got " + kind_of(value));
    const double number = value.get<double>();
    if (!std::isfinite(number)) fail(path, "expected a finite number");
    return number;
}

std::string expect_string(const Json& value, std::string_view path) {
    if (!value.is_string()) fail(path, "expected a string, got " + kind_of(value));
    return value.get<std::string>();
}

int expect_int(const Json& value, std::string_view path, std::string_view problem) {
    const double number = expect_number(value, path);
    if (!is_whole(number) || number < INT_MIN || number > INT_MAX) fail(path, problem);
    return static_cast<int>(number);
}

std::optional<double> optional_number(const Json& object, std::string_view key,
                                      std::string_view parent) {
    const Json* value = member(object, key);
    if (!value) return std::nullopt;
    return expect_number(*value, member_path(parent, key));
}

std::optional<std::string> optional_string(const Json& object, std::string_view key,
                                           std::string_view parent) {
    const Json* value = member(object, key);
    if (!value) return std::nullopt;
    return expect_string(*value, member_path(parent, key));
}

double required_number(const Json& object, std::string_view key, std::string_view parent,
                       std::string_view missing_hint) {
    const auto number = optional_number(object, key, parent);
    if (!number) fail(member_path(parent, key), "missing (" + std::string(missing_hint) + ")");
    return *number;
}

std::string required_string(const Json& object, std::string_view key, std::string_view parent,
                            std::string_view missing_hint) {
    auto text = optional_string(object, key, parent);
    if (!text) fail(member_path(parent, key), "missing (" + std::string(missing_hint) + ")");
    return *text;
}

}  // namespace kompo::komp::detail
