// The contract's rules that weigh values, checked on the typed komposition so that one
// built in code is held to them too. The first broken rule ends the check.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "core/error.hpp"
#include "komposition/json_fields.hpp"
#include "komposition/komposition.hpp"

namespace kompo::komp {

using detail::element_path;
using detail::fail;
using detail::json_quoted;
using detail::member_path;
using detail::number_text;

namespace {

// Beats are doubles: 0.1 + 0.2 is not 0.3. A millionth of a beat is far below a frame.
constexpr double kBeatTolerance = 1e-6;
// libx264's limit; larger frames are a typo, not a video.
constexpr int kMaxFrameSize = 16384;

void check_positive(double value, const std::string& path) {
    if (!(value > 0)) fail(path, "must be greater than 0, got " + number_text(value));
}

void check_not_negative(double value, const std::string& path) {
    if (!(value >= 0)) fail(path, "must be 0 or greater, got " + number_text(value));
}

void check_document(const Komposition& k) {
    if (k.id.empty()) fail("_id", "must not be empty");
    const bool known_type =
        k.type == "Komposition" || k.type == "Video" || k.type == "Audio" || k.type == "Image";
    if (!known_type)
        fail("type", json_quoted(k.type) + " is not Komposition, Video, Audio or Image");
}

// ---- config ----------------------------------------------------------------------------

// H.264 in yuv420p halves the chroma planes, so odd sizes cannot be encoded.
void check_frame_size(int size, const std::string& path) {
    if (size <= 0 || size % 2 != 0)
        fail(path, "must be a positive even number, got " + std::to_string(size));
    if (size > kMaxFrameSize) {
        fail(path,
             "must be at most " + std::to_string(kMaxFrameSize) + ", got " + std::to_string(size));
    }
}

void check_config(const OutputConfig& config) {
    const std::string& ext = config.extension;
    if (ext != "mp4" && ext != "webm" && ext != "mov" && ext != "mkv") {
        fail("config.extension",
             json_quoted(ext) + " is not a supported container (mp4, webm, mov, mkv)");
    }
    check_frame_size(config.width, "config.width");
    check_frame_size(config.height, "config.height");
    if (config.framerate.num <= 0 || config.framerate.den <= 0) {
        fail("config.framerate", "must be greater than 0, got " +
                                     std::to_string(config.framerate.num) + "/" +
                                     std::to_string(config.framerate.den));
    }
}

void check_beatpattern(const BeatPattern& pattern) {
    check_not_negative(pattern.from.value(), "beatpattern.frombeat");
    if (!(pattern.to > pattern.from)) {
        fail("beatpattern.tobeat", "must be greater than frombeat, got " +
                                       number_text(pattern.to.value()) + " (frombeat is " +
                                       number_text(pattern.from.value()) + ")");
    }
    // 0 means "use bpm"; a negative rate is a mistake, not a request for bpm.
    if (!(pattern.master_bpm >= 0)) {
        fail("beatpattern.masterbpm",
             "must be greater than 0 (or 0 to use bpm), got " + number_text(pattern.master_bpm));
    }
}

// ---- sources ---------------------------------------------------------------------------

void check_optional_size(const std::optional<int>& size, const std::string& path) {
    if (size && *size <= 0) fail(path, "must be greater than 0, got " + std::to_string(*size));
}

void check_sources(const std::vector<Source>& sources) {
    std::unordered_map<std::string, std::size_t> first_with_id;
    for (std::size_t i = 0; i < sources.size(); ++i) {
        const Source& source = sources[i];
        const std::string path = element_path("sources", i);
        if (source.id.empty()) fail(member_path(path, "id"), "must not be empty");
        auto [seen, inserted] = first_with_id.emplace(source.id, i);
        if (!inserted) {
            fail(member_path(path, "id"), json_quoted(source.id) + " is also the id of " +
                                              element_path("sources", seen->second));
        }
        check_optional_size(source.width, member_path(path, "width"));
        check_optional_size(source.height, member_path(path, "height"));
    }
}

// ---- segments --------------------------------------------------------------------------

void check_source_timing(const SourceTiming& timing, const std::string& path) {
    if (timing.original_start) {
        check_not_negative(timing.original_start->value(), member_path(path, "original_start"));
    }
    if (timing.original_duration) {
        const std::string field = member_path(path, "original_duration");
        check_positive(timing.original_duration->value(), field);
        // Without a start the window has nowhere to begin; ignoring it would hide a mistake.
        if (!timing.original_start) fail(field, "given without original_start");
    }
    if (timing.static_duration) {
        check_positive(timing.static_duration->value(), member_path(path, "static_duration"));
    }
}

void check_end(const Segment& segment, const std::string& path) {
    const double start = segment.start.value();
    const double duration = segment.duration.value();
    const double expected = start + duration;
    if (!(std::abs(segment.end.value() - expected) <= kBeatTolerance)) {
        fail(member_path(path, "end"),
             number_text(segment.end.value()) + " is not start + duration (" + number_text(start) +
                 " + " + number_text(duration) + " = " + number_text(expected) + ")");
    }
}

void check_segment(const Komposition& k, std::size_t index) {
    const Segment& segment = k.segments[index];
    const std::string path = element_path("segments", index);
    check_not_negative(segment.start.value(), member_path(path, "start"));
    check_positive(segment.duration.value(), member_path(path, "duration"));
    check_end(segment, path);
    if (!k.find_source(segment.source_id)) {
        fail(member_path(path, "sourceid"), "no source has id " + json_quoted(segment.source_id));
    }
    if (segment.source_timing)
        check_source_timing(*segment.source_timing, member_path(path, "source_timing"));
}

// `segments[2] ("B")`, or `segments[2]` for a segment without an id.
std::string segment_label(const std::vector<Segment>& segments, std::size_t index) {
    const std::string path = element_path("segments", index);
    return segments[index].id.empty() ? path : path + " (" + json_quoted(segments[index].id) + ")";
}

// Sorted by start, a segment overlaps an earlier one exactly when it starts before the
// latest end seen so far; reporting that segment names the pair a person has to fix.
void check_overlaps(const std::vector<Segment>& segments) {
    std::vector<std::size_t> order(segments.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return segments[a].start < segments[b].start;
    });
    std::optional<std::size_t> latest;  // the segment ending last among those before
    for (std::size_t index : order) {
        const Segment& segment = segments[index];
        if (latest && segment.start.value() < segments[*latest].end.value() - kBeatTolerance) {
            const double until = std::min(segment.end.value(), segments[*latest].end.value());
            throw Error::invalid(segment_label(segments, index) + " overlaps " +
                                 segment_label(segments, *latest) + " on beats " +
                                 number_text(segment.start.value()) + " to " + number_text(until));
        }
        if (!latest || segment.end > segments[*latest].end) latest = index;
    }
}

void check_timeline(const Komposition& k) {
    check_positive(k.bpm, "bpm");
    check_config(k.config);
    if (k.beatpattern) check_beatpattern(*k.beatpattern);
    for (std::size_t i = 0; i < k.segments.size(); ++i) check_segment(k, i);
    check_overlaps(k.segments);
}

}  // namespace

void validate(const Komposition& komposition) {
    check_document(komposition);
    check_sources(komposition.sources);
    // Beats, output settings and segments make up a render recipe; a Video, Audio or Image
    // document only describes one medium.
    if (komposition.type == "Komposition") check_timeline(komposition);
}

}  // namespace kompo::komp
