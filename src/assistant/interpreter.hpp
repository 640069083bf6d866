#pragma once
// The embedded interpreter: English requests about a komposition → calls of whitelisted
// tools, with no model and no network. It knows tempo, placing sources on beats, output
// size and framing, swapping segments, first-beat offsets, frame rates, renders of beat
// ranges and timing questions; numbers as digits or words, in beats, bars (4 beats),
// seconds or milliseconds; source names matched fuzzily. What it does not understand is
// off topic: the domain lock refuses it.
#include <optional>
#include <string>
#include <vector>

#include "assistant/guard.hpp"
#include "assistant/tools.hpp"

namespace kompo::assistant {

struct NamedMedium {
    std::string name;
    std::string kind;  // video, audio, image
};

// What the request is about: the komposition open in the editor (may be none).
struct InterpreterContext {
    std::string komposition_id;
    double bpm = 0;                    // its effective tempo; 0 when there is no komposition
    std::vector<NamedMedium> sources;  // its sources (ids)
    std::vector<NamedMedium> media;    // the tenant's media library
    int segment_count = 0;
};

struct Interpretation {
    std::vector<ToolCall> calls;
    std::optional<Refusal> refusal;  // off_topic, or needs_komposition
};

Interpretation interpret(const std::string& clean, const InterpreterContext& context);

// The candidate `phrase` names best ("the boat picture" → "boat.jpg"); nullopt when none
// is close enough. Generic words (picture, clip, song...) pick by kind when one fits.
std::optional<std::string> match_name(const std::string& phrase,
                                      const std::vector<NamedMedium>& candidates);

}  // namespace kompo::assistant
