#include "komposition/json_text.hpp"

#include <algorithm>
#include <cstddef>
#include <string>

#include "core/error.hpp"

namespace kompo::komp::detail {

namespace {

constexpr std::size_t kMaxReasonBytes = 100;

struct TextPosition {
    std::size_t line;
    std::size_t column;  // in bytes, 1-based
};

TextPosition position_of(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    const std::string_view before = text.substr(0, offset);
    const std::size_t line =
        1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    const std::size_t last_newline = before.rfind('\n');
    const std::size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
    return {line, offset - line_start + 1};
}

std::string at(std::string_view origin, std::string_view text, std::size_t offset) {
    const TextPosition p = position_of(text, offset);
    return std::string(origin) + ": malformed JSON at line " + std::to_string(p.line) +
           ", column " + std::to_string(p.column);
}

// Where the bracket that opens level kMaxNesting + 1 is, or text.size() when there is
// none. Exact for valid JSON (brackets outside strings are structure); in invalid JSON the
// parser's own error comes first (see parse_json_text).
std::size_t offset_of_deep_bracket(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    bool escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxNesting) return i;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return text.size();
}

// The message may quote raw input ("last read: ..."): keep it printable ASCII, one line.
std::string printable(std::string_view reason) {
    std::string out;
    for (char c : reason.substr(0, kMaxReasonBytes)) {
        const auto byte = static_cast<unsigned char>(c);
        out += byte >= 0x20 && byte < 0x7F ? c : '?';
    }
    if (reason.size() > kMaxReasonBytes) out += "...";
    return out;
}

// "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
// parsing value - invalid literal; last read: 'tru,'" → "invalid literal; last read: 'tru,'"
std::string short_reason(std::string_view what) {
    const std::size_t column = what.find("column ");
    std::size_t start =
        column == std::string_view::npos ? what.find("] ") : what.find(": ", column);
    start = start == std::string_view::npos ? 0 : start + 2;
    std::string_view reason = what.substr(start);
    constexpr std::string_view kSyntax = "syntax error while parsing ";
    if (reason.substr(0, kSyntax.size()) == kSyntax) {
        const std::size_t dash = reason.find(" - ");
        if (dash != std::string_view::npos) reason = reason.substr(dash + 3);
    }
    return printable(reason);
}

// nlohmann reports a number too large for a double (1e400) without a position; the
// literal it quotes is found in the text instead.
std::string number_overflow_message(std::string_view text, std::string_view origin,
                                    std::string_view what) {
    const std::size_t open = what.find('\'');
    const std::size_t close = what.rfind('\'');
    const std::string reason = "number out of range";
    if (open != std::string_view::npos && close > open) {
        const std::string_view literal = what.substr(open + 1, close - open - 1);
        const std::size_t offset = text.find(literal);
        if (offset != std::string_view::npos) {
            return at(origin, text, offset) + ": " + reason + " (" + printable(literal) + ")";
        }
    }
    return std::string(origin) + ": malformed JSON: " + reason;
}

// Parses `text`; a JSON error becomes an Error naming origin, line and column. An error
// at or after `stop` is left to the caller (it returns null then), which knows better.
Json parse_located(std::string_view text, std::string_view origin,
                   std::size_t stop = std::string_view::npos) {
    try {
        return Json::parse(text.begin(), text.end());
    } catch (const Json::parse_error& e) {
        // `byte` counts the characters read, the offending one included.
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        if (offset >= stop) return Json();
        throw Error::invalid(at(origin, text, offset) + ": " + short_reason(e.what()));
    } catch (const Json::out_of_range& e) {
        throw Error::invalid(number_overflow_message(text, origin, e.what()));
    } catch (const Json::exception& e) {
        throw Error::invalid(std::string(origin) + ": malformed JSON: " + short_reason(e.what()));
    }
}

}  // namespace

// The depth is checked by a scan before parsing rather than by a parser callback: with a
// callback, nlohmann rescans the parent container after every value it adds, which makes
// an array of n segments cost n^2.
Json parse_json_text(std::string_view text, std::string_view origin) {
    const std::size_t deep = offset_of_deep_bracket(text);
    if (deep == text.size()) return parse_located(text, origin);
    // A reader meets a syntax error before the too-deep bracket first: report that one.
    (void)parse_located(text.substr(0, deep), origin, deep);
    const TextPosition p = position_of(text, deep);
    throw Error::invalid(std::string(origin) + ": nested deeper than " +
                         std::to_string(kMaxNesting) + " levels at line " + std::to_string(p.line) +
                         ", column " + std::to_string(p.column));
}

}  // namespace kompo::komp::detail
