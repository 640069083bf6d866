#pragma once
// The input stages of the guard pipeline, each a pure function so each is tested alone:
// caps, invisible-character stripping, injection and jailbreak detection, delimiting for
// a model, the domain lock's fixed refusal. Quotas and output checks are in usage.hpp and
// tools.hpp; assistant.cpp runs the stages in order.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kompo::assistant {

// The one answer to anything outside video and music composition (and to attacks): it
// says what the assistant does, and nothing about how it is instructed.
inline constexpr const char* kRefusal =
    "Sorry, I can only help with your kompositions: tempo, placing sources on beats, the "
    "video's size and framing, the order of segments, timing questions and renders.";

// A decision of one stage: empty when the request may go on, else why not (the audit
// log's reason: "too_long", "injection", "off_topic", ...).
struct Refusal {
    std::string reason;
    std::string detail;  // which rule, for the audit log; never shown to the caller
};

// Longer requests are refused, not cut: a cut could change what they ask.
std::optional<Refusal> check_length(std::string_view raw, std::size_t max_bytes);

// Valid UTF-8 with control characters (but tab and newline, made spaces), zero-width,
// bidirectional and tag characters, soft hyphens and variation selectors removed,
// full-width ASCII folded to ASCII, and runs of spaces collapsed. Invalid bytes go too.
std::string strip_invisible(std::string_view raw);

// Known injection patterns, role-play jailbreaks, system-prompt extraction, chat-markup
// tokens, and tool-argument attacks (paths, URLs, other tenants, credentials), checked on
// stripped text also with letters spaced out or written in digits ("1gn0re").
std::optional<Refusal> detect_injection(std::string_view clean);

// The user's text for a model: inside delimiters the text itself cannot close.
std::string delimit(std::string_view clean);

// The model backend's system prompt (never shown to the caller; see output checks).
const std::string& system_prompt();
// Whether `reply` leaks the system prompt (a long enough piece of it).
bool reveals_system_prompt(std::string_view reply);

}  // namespace kompo::assistant
