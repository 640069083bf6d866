#pragma once
// JSON text → Json, with errors a person can act on: `k.json: malformed JSON at line 3,
// column 5: <reason>`. Internal to the komposition module.
#include <string_view>

#include "komposition/komposition.hpp"

namespace kompo::komp::detail {

// Deeper documents are refused: nlohmann's copy, compare and dump recurse, so a document
// of a million nested arrays would overflow the stack after parsing. Kompositions need 4.
inline constexpr int kMaxNesting = 64;

// Parses strict JSON (no comments). Throws Error(invalid_input) naming `origin` and the
// line and column of the problem.
Json parse_json_text(std::string_view text, std::string_view origin);

}  // namespace kompo::komp::detail
