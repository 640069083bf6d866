#include "assistant/numbers.hpp"

#include <cctype>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <vector>

namespace kompo::assistant::detail {

namespace {

const std::map<std::string, int>& unit_words() {
    static const std::map<std::string, int> words = {
        {"zero", 0},     {"one", 1},      {"two", 2},        {"three", 3},     {"four", 4},
        {"five", 5},     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},
        {"ten", 10},     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},
        {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},
        {"twenty", 20},  {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"sixty", 60},
        {"seventy", 70}, {"eighty", 80},  {"ninety", 90}};
    return words;
}

std::vector<std::string> split_words(const std::string& text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    for (std::string word; in >> word;) words.push_back(word);
    return words;
}

// Reads a number written in words starting at words[at]; how many words it took.
std::optional<std::pair<long, std::size_t>> read_number_words(const std::vector<std::string>& words,
                                                              std::size_t at) {
    long total = 0;
    long current = 0;
    std::size_t used = 0;
    bool any = false;
    for (std::size_t i = at; i < words.size(); ++i) {
        const auto& word = words[i];
        if (auto found = unit_words().find(word); found != unit_words().end()) {
            // "twenty one" continues; "one two" does not.
            if (any && current % 10 != 0 && found->second < 10) break;
            if (any && current % 100 != 0 && current >= 10 && found->second >= 10) break;
            current += found->second;
        } else if (word == "hundred" && (any || (i > at && words[i - 1] == "a"))) {
            current = (current == 0 ? 1 : current) * 100;
        } else if (word == "a" && i + 1 < words.size() && words[i + 1] == "hundred" && !any) {
            used = i - at + 1;
            continue;
        } else if (word == "and" && any && i + 1 < words.size() &&
                   unit_words().count(words[i + 1]) && current % 100 == 0) {
            continue;
        } else {
            break;
        }
        any = true;
        used = i - at + 1;
    }
    if (!any) return std::nullopt;
    total += current;
    return std::make_pair(total, used);
}

std::string words_to_digits(const std::string& text) {
    const auto words = split_words(text);
    std::string out;
    for (std::size_t i = 0; i < words.size();) {
        auto number = read_number_words(words, i);
        // "a" alone is an article, not a number.
        if (number && !(number->second == 1 && words[i] == "a")) {
            out += std::to_string(number->first) + " ";
            i += number->second;
            continue;
        }
        if (words[i] == "half" && !out.empty()) {
            out += "and_half ";  // "two and a half" handled below
        }
        out += words[i] + " ";
        ++i;
    }
    if (!out.empty()) out.pop_back();
    // "2 and a half" / "2 and_half" → 2.5
    static const std::regex half(R"((\d+) and (a )?(and_)?half)");
    out = std::regex_replace(out, half, "$1.5");
    static const std::regex leftover_half(R"(and_half )");
    return std::regex_replace(out, leftover_half, "");
}

}  // namespace

std::string normalize_numbers(const std::string& text) {
    std::string lower;
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool keep = std::isalnum(u) || c == '.' || c == '_' || c == '-' || c == '\'';
        lower += keep ? static_cast<char>(std::tolower(u)) : ' ';
    }
    static const std::vector<std::pair<std::regex, std::string>> rewrites = {
        {std::regex(R"(\bbeats per minute\b|\bb\.p\.m\.?)"), "bpm"},
        {std::regex(R"((\d)(bpm|fps|ms|s|sec|secs|seconds|p|k)\b)"), "$1 $2"},
        {std::regex(R"((\d) (p)\b)"), "$1p"},
        {std::regex(R"((\d)-(\d))"), "$1 to $2"},
        {std::regex(R"(\.(\s|$))"), " "},
    };
    for (const auto& [pattern, replacement] : rewrites) {
        lower = std::regex_replace(lower, pattern, replacement);
    }
    return words_to_digits(lower);
}

}  // namespace kompo::assistant::detail
