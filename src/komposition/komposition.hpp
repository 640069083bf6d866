#pragma once
// The komposition document, typed. `document` keeps every field as read, so writing the
// canonical form loses nothing the platform does not know.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/media_info.hpp"
#include "core/units.hpp"

namespace kompo::komp {

using Json = nlohmann::ordered_json;

enum class Fit { letterbox, crop };

struct SourceTiming {
    std::optional<Seconds> original_start;
    std::optional<Seconds> original_duration;
    std::optional<Seconds> static_duration;
};

struct Segment {
    std::string id;
    std::string source_id;
    Beats start;
    Beats duration;
    Beats end;
    std::optional<SourceTiming> source_timing;
    bool stretch = false;    // `stretch_factor` present or `"fit": "stretch"`
    std::optional<Fit> fit;  // `"fit": "crop"` / `"letterbox"` on the segment
};

struct Source {
    std::string id;
    std::string url;
    Seconds starting_offset;  // null or absent = 0
    MediaKind mediatype = MediaKind::video;
    std::string extension;
    std::optional<int> width;
    std::optional<int> height;
};

struct OutputConfig {
    int width = 1280;
    int height = 720;
    FrameRate framerate;  // 0 in the document means 30
    std::string extension = "mp4";
    Fit fit = Fit::letterbox;
};

struct BeatPattern {
    Beats from;
    Beats to;
    double master_bpm = 0;  // > 0 overrides bpm
};

struct Komposition {
    std::string id;
    std::string type = "Komposition";
    double bpm = 120;
    OutputConfig config;
    std::optional<BeatPattern> beatpattern;
    std::vector<Segment> segments;
    std::vector<Source> sources;
    Json document;  // the whole document as read (both dialects)

    double effective_bpm() const {
        return beatpattern && beatpattern->master_bpm > 0 ? beatpattern->master_bpm : bpm;
    }
    const Source* find_source(std::string_view source_id) const;
};

// Parses JSON text of either dialect. Throws Error(invalid_input) with one line naming
// `origin` and the line/column (malformed JSON) or the field (`segments[3].start`: not a
// number) that is wrong.
Komposition parse(std::string_view text, std::string_view origin = "komposition");
Komposition from_json(const Json& document);

// Checks the rules of the contract that need more than one field: bpm > 0, known
// sourceids, end = start + duration, positive durations, no overlaps, a supported
// container. Throws Error(invalid_input) naming the field.
void validate(const Komposition& komposition);

// The canonical form (what the Elm editor reads): `_id`, `extension`, the source fields
// the editor requires, `end` on every segment, whole beats as integers; every other field
// as it was read.
Json to_canonical(const Komposition& komposition);
std::string to_canonical_text(const Komposition& komposition, int indent = 2);

// "23.976" → 24000/1001; 0 → 30.
FrameRate frame_rate_from_number(double fps);

}  // namespace kompo::komp
