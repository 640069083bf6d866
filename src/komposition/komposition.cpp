// Reading a komposition document of either dialect into typed values. Only the shape of
// each value is checked here (a number where a number belongs, a known mediatype); rules
// that weigh values against each other are validate()'s (validate.cpp).
#include "komposition/komposition.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <utility>

#include "core/error.hpp"
#include "komposition/json_fields.hpp"
#include "komposition/json_text.hpp"
#include "komposition/reading.hpp"

namespace kompo::komp {

using detail::expect_array;
using detail::expect_int;
using detail::expect_number;
using detail::expect_object;
using detail::expect_string;
using detail::fail;
using detail::json_quoted;
using detail::member;
using detail::member_path;
using detail::number_text;
using detail::optional_number;
using detail::optional_string;

namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

// "media/clip.MP4?token=1" → "MP4": the query and fragment of a URL are not its name.
std::string_view extension_of_url(std::string_view url) {
    url = url.substr(0, url.find_first_of("?#"));
    const std::size_t slash = url.rfind('/');
    const std::string_view name = slash == std::string_view::npos ? url : url.substr(slash + 1);
    const std::size_t dot = name.rfind('.');
    return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

// ---- document --------------------------------------------------------------------------

std::string read_document_id(const Json& document) {
    if (const Json* id = member(document, "_id")) return expect_string(*id, "_id");
    if (const Json* id = member(document, "id")) return expect_string(*id, "id");
    fail("_id", "missing (the document id; \"id\" is also accepted)");
}

double read_bpm(const Json& document, const std::string& type) {
    if (const Json* bpm = member(document, "bpm")) return expect_number(*bpm, "bpm");
    // Only a render recipe lives on a beat grid; a Video/Audio/Image document may omit it.
    if (type == "Komposition") fail("bpm", "missing (beats per minute of the timeline)");
    return Komposition{}.bpm;
}

// ---- config ----------------------------------------------------------------------------

Fit read_fit(const Json& value, const std::string& path) {
    const std::string fit = expect_string(value, path);
    if (fit == "crop") return Fit::crop;
    if (fit == "letterbox") return Fit::letterbox;
    fail(path, json_quoted(fit) + " is not crop or letterbox");
}

FrameRate read_frame_rate(const Json& value, const std::string& path) {
    const double fps = expect_number(value, path);
    if (auto problem = detail::frame_rate_problem(fps)) fail(path, *problem);
    return frame_rate_from_number(fps);
}

// Sizes that are not whole ints cannot even be held; validate() checks the rest with the
// same wording.
int read_frame_size(const Json& value, const std::string& path) {
    const double size = expect_number(value, path);
    return expect_int(value, path, "must be a positive even number, got " + number_text(size));
}

OutputConfig read_config(const Json& value) {
    const Json& config = expect_object(value, "config");
    OutputConfig out;
    if (const Json* v = member(config, "width")) out.width = read_frame_size(*v, "config.width");
    if (const Json* v = member(config, "height")) out.height = read_frame_size(*v, "config.height");
    if (const Json* v = member(config, "framerate"))
        out.framerate = read_frame_rate(*v, "config.framerate");
    if (const Json* v = member(config, "extension")) {
        out.extension = expect_string(*v, "config.extension");
    } else if (const Json* v = member(config, "extensionType")) {
        out.extension = expect_string(*v, "config.extensionType");
    }
    if (const Json* v = member(config, "fit")) out.fit = read_fit(*v, "config.fit");
    return out;
}

BeatPattern read_beatpattern(const Json& value) {
    const Json& pattern = expect_object(value, "beatpattern");
    BeatPattern out;
    out.from = Beats(optional_number(pattern, "frombeat", "beatpattern").value_or(0));
    out.to = Beats(
        detail::required_number(pattern, "tobeat", "beatpattern", "the beat the render stops at"));
    out.master_bpm = optional_number(pattern, "masterbpm", "beatpattern").value_or(0);
    return out;
}

// ---- segments --------------------------------------------------------------------------

// A derived beat (end = start + duration) can leave the doubles even when both are finite.
Beats derived_beat(double value, const std::string& path, std::string_view formula) {
    if (!std::isfinite(value))
        fail(path, "missing, and " + std::string(formula) + " is out of range");
    return Beats(value);
}

// start, duration and end: either of the last two may be left out and is then derived.
void read_beats(const Json& segment, const std::string& path, Segment& out) {
    const double start =
        detail::required_number(segment, "start", path, "the beat the segment starts at");
    const auto duration = optional_number(segment, "duration", path);
    const auto end = optional_number(segment, "end", path);
    if (!duration && !end) fail(member_path(path, "duration"), "missing (give duration or end)");
    out.start = Beats(start);
    out.duration = duration
                       ? Beats(*duration)
                       : derived_beat(*end - start, member_path(path, "duration"), "end - start");
    out.end = end ? Beats(*end)
                  : derived_beat(start + *duration, member_path(path, "end"), "start + duration");
}

Segment read_segment(const Json& value, const std::string& path) {
    const Json& segment = expect_object(value, path);
    Segment out;
    out.id = optional_string(segment, "id", path).value_or("");
    out.source_id = detail::required_string(segment, "sourceid", path, "the id of a source");
    read_beats(segment, path, out);
    out.source_timing = detail::read_source_timing(segment, path);
    const detail::SegmentLook look = detail::read_segment_look(segment, path);
    out.fit = look.fit;
    out.stretch = look.stretch;
    return out;
}

// ---- sources ---------------------------------------------------------------------------

std::optional<int> read_optional_size(const Json& source, std::string_view key,
                                      const std::string& path) {
    const Json* value = member(source, key);
    if (!value) return std::nullopt;
    const std::string field = member_path(path, key);
    const double size = expect_number(*value, field);
    return expect_int(*value, field, "expected a whole number, got " + number_text(size));
}

Source read_source(const Json& value, const std::string& path) {
    const Json& source = expect_object(value, path);
    Source out;
    out.id = detail::required_string(source, "id", path, "the id segments refer to");
    out.url = optional_string(source, "url", path).value_or("");
    out.starting_offset = Seconds(optional_number(source, "startingOffset", path).value_or(0));
    out.extension = optional_string(source, "extension", path).value_or("");
    out.mediatype = detail::read_mediatype(source, path, out.extension, out.url);
    out.width = read_optional_size(source, "width", path);
    out.height = read_optional_size(source, "height", path);
    return out;
}

template <typename Item, typename ReadItem>
std::vector<Item> read_list(const Json& document, std::string_view key, ReadItem read_item) {
    std::vector<Item> items;
    const Json* list = member(document, key);
    if (!list) return items;
    expect_array(*list, key);
    items.reserve(list->size());
    for (std::size_t i = 0; i < list->size(); ++i) {
        items.push_back(read_item((*list)[i], detail::element_path(key, i)));
    }
    return items;
}

Komposition read_komposition(const Json& document) {
    if (!document.is_object()) {
        fail("document", "expected a JSON object, got " + detail::kind_of(document));
    }
    Komposition k;
    k.id = read_document_id(document);
    k.type = optional_string(document, "type", "").value_or("Komposition");
    k.bpm = read_bpm(document, k.type);
    if (const Json* config = member(document, "config")) k.config = read_config(*config);
    if (const Json* pattern = member(document, "beatpattern"))
        k.beatpattern = read_beatpattern(*pattern);
    k.segments = read_list<Segment>(document, "segments", read_segment);
    k.sources = read_list<Source>(document, "sources", read_source);
    return k;
}

}  // namespace

// ---- shared readers (reading.hpp) ------------------------------------------------------

namespace detail {

SegmentLook read_segment_look(const Json& segment, std::string_view path) {
    SegmentLook look;
    if (const Json* factor = member(segment, "stretch_factor")) {
        const std::string field = member_path(path, "stretch_factor");
        const double value = expect_number(*factor, field);
        if (!(value > 0)) fail(field, "must be greater than 0, got " + number_text(value));
        look.stretch = true;
    }
    if (const Json* value = member(segment, "fit")) {
        const std::string field = member_path(path, "fit");
        const std::string fit = expect_string(*value, field);
        if (fit == "crop")
            look.fit = Fit::crop;
        else if (fit == "letterbox")
            look.fit = Fit::letterbox;
        else if (fit == "stretch")
            look.stretch = true;
        else
            fail(field, json_quoted(fit) + " is not crop, letterbox or stretch");
    }
    return look;
}

std::optional<SourceTiming> read_source_timing(const Json& segment, std::string_view path) {
    const Json* value = member(segment, "source_timing");
    if (!value) return std::nullopt;
    const std::string field = member_path(path, "source_timing");
    const Json& timing = expect_object(*value, field);
    auto seconds = [&](std::string_view key) -> std::optional<Seconds> {
        if (auto number = optional_number(timing, key, field)) return Seconds(*number);
        return std::nullopt;
    };
    return SourceTiming{seconds("original_start"), seconds("original_duration"),
                        seconds("static_duration")};
}

bool same_timing(const std::optional<SourceTiming>& a, const std::optional<SourceTiming>& b) {
    if (!a || !b) return !a && !b;
    return a->original_start == b->original_start && a->original_duration == b->original_duration &&
           a->static_duration == b->static_duration;
}

MediaKind infer_media_kind(std::string_view extension, std::string_view url) {
    std::string ext = lower(extension.empty() ? extension_of_url(url) : extension);
    if (!ext.empty() && ext.front() == '.') ext.erase(0, 1);
    if (is_one_of(ext, {"jpg", "jpeg", "png", "webp", "bmp"})) return MediaKind::image;
    if (is_one_of(ext, {"mp3", "wav", "flac", "aac", "m4a", "ogg", "opus"}))
        return MediaKind::audio;
    return MediaKind::video;
}

MediaKind read_mediatype(const Json& source, std::string_view path, std::string_view extension,
                         std::string_view url) {
    const auto written = optional_string(source, "mediatype", path);
    const std::string kind = lower(written.value_or(""));
    if (kind.empty()) return infer_media_kind(extension, url);
    if (kind == "video") return MediaKind::video;
    if (kind == "audio") return MediaKind::audio;
    if (kind == "image") return MediaKind::image;
    fail(member_path(path, "mediatype"), json_quoted(*written) + " is not video, audio or image");
}

std::string fit_name(Fit fit) {
    return fit == Fit::crop ? "crop" : "letterbox";
}

}  // namespace detail

// ---- public ----------------------------------------------------------------------------

const Source* Komposition::find_source(std::string_view source_id) const {
    auto it = std::find_if(sources.begin(), sources.end(),
                           [&](const Source& s) { return s.id == source_id; });
    return it == sources.end() ? nullptr : &*it;
}

namespace {
// Reads `document` and keeps it whole in the result (by move when the caller can spare it).
Komposition read_and_keep(Json document) {
    Komposition k;
    try {
        k = read_komposition(document);
    } catch (const Json::exception& e) {
        // The readers check each value's type before converting it, so this is a bug of
        // ours; it still must not escape as a library exception.
        throw Error::internal(std::string("reading the komposition: ") + e.what());
    }
    k.document = std::move(document);
    return k;
}
}  // namespace

Komposition from_json(const Json& document) {
    return read_and_keep(document);
}

Komposition parse(std::string_view text, std::string_view origin) {
    Json document = detail::parse_json_text(text, origin);
    if (!document.is_object()) {
        throw Error::invalid(std::string(origin) +
                             ": expected a JSON object at the top level, got " +
                             detail::kind_of(document));
    }
    return read_and_keep(std::move(document));
}

}  // namespace kompo::komp
