// The canonical form: the document as read, with the typed values written over the fields
// the platform knows. A field keeps its place and spelling when it already says what the
// typed value says (so an untouched document only changes where the canonical form asks
// for it); a field the editor needs but the document lacks is added next to its siblings.
#include <cmath>
#include <initializer_list>
#include <optional>
#include <utility>

#include "core/error.hpp"
#include "komposition/json_fields.hpp"
#include "komposition/komposition.hpp"
#include "komposition/reading.hpp"

namespace kompo::komp {

using detail::is_whole;
using detail::member;

namespace {

// ---- placing keys in an ordered object -------------------------------------------------

std::optional<std::size_t> index_of(const Json& object, const std::string& key) {
    std::size_t index = 0;
    for (auto it = object.begin(); it != object.end(); ++it, ++index) {
        if (it.key() == key) return index;
    }
    return std::nullopt;
}

// ordered_json has no insert-at-position: rebuild the (small) object around the new key.
void insert_at(Json& object, std::size_t position, const std::string& key, Json value) {
    Json rebuilt = Json::object();
    std::size_t index = 0;
    for (auto it = object.begin(); it != object.end(); ++it, ++index) {
        if (index == position) rebuilt.emplace(key, std::move(value));
        rebuilt.emplace(it.key(), std::move(it.value()));
    }
    if (position >= index) rebuilt.emplace(key, std::move(value));
    object = std::move(rebuilt);
}

// Sets `key` where it is; a new key goes right after the first of `anchors` present (the
// sibling it belongs next to), or at the end.
void put_after(Json& object, const std::string& key, Json value,
               std::initializer_list<const char*> anchors) {
    if (object.contains(key)) {
        object[key] = std::move(value);
        return;
    }
    for (const char* anchor : anchors) {
        if (auto at = index_of(object, anchor))
            return insert_at(object, *at + 1, key, std::move(value));
    }
    object.emplace(key, std::move(value));
}

void put_front(Json& object, const std::string& key, Json value) {
    if (object.contains(key))
        object[key] = std::move(value);
    else
        insert_at(object, 0, key, std::move(value));
}

// Renames in place, keeping the value; nothing happens when `to` already exists.
void rename_key(Json& object, const std::string& from, const std::string& to) {
    if (!object.contains(from) || object.contains(to)) return;
    Json rebuilt = Json::object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        rebuilt.emplace(it.key() == from ? to : it.key(), std::move(it.value()));
    }
    object = std::move(rebuilt);
}

// The object at `key`, made one when it is absent, null or (in a document built in code)
// something else.
Json& object_at(Json& parent, const std::string& key, std::initializer_list<const char*> anchors) {
    if (!parent.contains(key) || !parent[key].is_object())
        put_after(parent, key, Json::object(), anchors);
    return parent[key];
}

// ---- numbers ---------------------------------------------------------------------------

// The Elm editor writes these as integers; 16.0 is written 16. 2^53 keeps the conversion exact.
Json whole_as_integer(double value) {
    constexpr double kExactLimit = 9007199254740992.0;
    if (is_whole(value) && std::abs(value) <= kExactLimit) return static_cast<std::int64_t>(value);
    return value;
}

bool maps_to(const Json& written, FrameRate rate) {
    if (!written.is_number()) return false;
    try {
        return frame_rate_from_number(written.get<double>()) == rate;
    } catch (const Error&) {
        return false;
    }
}

// Whole rates as integers; others as written when that still means the same fraction
// (23.976 stays 23.976), else the shortest decimal that reads back as the same fraction.
Json framerate_value(const Json* written, FrameRate rate) {
    if (rate.den > 0 && rate.num % rate.den == 0) return rate.num / rate.den;
    if (written && maps_to(*written, rate)) return *written;
    const double fps = rate.as_double();
    for (double scale : {1e3, 1e6}) {
        const Json decimal = std::round(fps * scale) / scale;
        if (maps_to(decimal, rate)) return decimal;
    }
    return fps;
}

// ---- document --------------------------------------------------------------------------

void write_document_id(Json& out, const std::string& id) {
    if (!out.contains("_id")) rename_key(out, "id", "_id");
    put_front(out, "_id", id);
}

void write_type_and_bpm(Json& out, const Komposition& k) {
    const Komposition defaults;
    if (out.contains("type") || k.type != defaults.type)
        put_after(out, "type", k.type, {"name", "_rev", "_id"});
    if (out.contains("bpm") || k.type == "Komposition" || k.bpm != defaults.bpm) {
        put_after(out, "bpm", whole_as_integer(k.bpm), {"type", "name", "_id"});
    }
}

bool is_default(const OutputConfig& c) {
    const OutputConfig d;
    return c.width == d.width && c.height == d.height && c.framerate == d.framerate &&
           c.extension == d.extension && c.fit == d.fit;
}

void write_config(Json& out, const OutputConfig& config) {
    if (!member(out, "config") && is_default(config)) return;  // absent or null says the same
    Json& c = object_at(out, "config", {"bpm"});
    const OutputConfig d;
    if (!c.contains("extension")) rename_key(c, "extensionType", "extension");
    if (c.contains("width") || config.width != d.width) put_after(c, "width", config.width, {});
    if (c.contains("height") || config.height != d.height)
        put_after(c, "height", config.height, {"width"});
    if (c.contains("framerate") || !(config.framerate == d.framerate)) {
        const Json* written = member(c, "framerate");
        put_after(c, "framerate", framerate_value(written, config.framerate), {"height", "width"});
    }
    if (c.contains("extension") || config.extension != d.extension) {
        put_after(c, "extension", config.extension, {"framerate", "height", "width"});
    }
    if (c.contains("fit") || config.fit != d.fit)
        put_after(c, "fit", detail::fit_name(config.fit), {});
}

void write_beatpattern(Json& out, const std::optional<BeatPattern>& pattern) {
    if (!pattern) {
        if (member(out, "beatpattern")) out.erase("beatpattern");
        return;
    }
    Json& bp = object_at(out, "beatpattern", {"config", "bpm"});
    put_after(bp, "frombeat", whole_as_integer(pattern->from.value()), {});
    put_after(bp, "tobeat", whole_as_integer(pattern->to.value()), {"frombeat"});
    if (bp.contains("masterbpm") || pattern->master_bpm != 0) {
        put_after(bp, "masterbpm", whole_as_integer(pattern->master_bpm), {"tobeat"});
    }
}

// ---- segments --------------------------------------------------------------------------

void write_source_timing(Json& segment, const std::optional<SourceTiming>& timing) {
    try {
        if (detail::same_timing(detail::read_source_timing(segment, ""), timing)) return;
    } catch (const Error&) {
        // Not readable (a document built in code): rewritten below.
    }
    if (!timing) {
        segment.erase("source_timing");
        return;
    }
    Json& written = object_at(segment, "source_timing", {"end"});
    auto put_seconds = [&](const char* key, const std::optional<Seconds>& value) {
        if (value)
            written[key] = value->value();
        else
            written.erase(key);
    };
    put_seconds("original_start", timing->original_start);
    put_seconds("original_duration", timing->original_duration);
    put_seconds("static_duration", timing->static_duration);
}

bool has_positive_stretch_factor(const Json& segment) {
    const Json* factor = member(segment, "stretch_factor");
    return factor && factor->is_number() && factor->get<double>() > 0;
}

// `fit` holds crop/letterbox or "stretch"; stretching together with crop/letterbox needs
// `stretch_factor` (1: the window is retimed to fill the segment whatever the factor).
void write_look(Json& segment, const Segment& typed) {
    const detail::SegmentLook wanted{typed.fit, typed.stretch};
    try {
        if (detail::read_segment_look(segment, "") == wanted) return;
    } catch (const Error&) {
        // Not readable (a document built in code): rewritten below.
    }
    const bool factor_kept = typed.stretch && has_positive_stretch_factor(segment);
    if (!factor_kept) segment.erase("stretch_factor");
    if (typed.fit) {
        put_after(segment, "fit", detail::fit_name(*typed.fit), {"end"});
        if (typed.stretch && !factor_kept) put_after(segment, "stretch_factor", 1, {"fit"});
    } else if (typed.stretch && !factor_kept) {
        put_after(segment, "fit", "stretch", {"end"});
    } else {
        segment.erase("fit");
    }
}

void write_segment(Json& segment, const Segment& typed) {
    put_front(segment, "id", typed.id);
    put_after(segment, "sourceid", typed.source_id, {"id"});
    put_after(segment, "start", whole_as_integer(typed.start.value()), {"sourceid"});
    put_after(segment, "duration", whole_as_integer(typed.duration.value()), {"start"});
    put_after(segment, "end", whole_as_integer(typed.end.value()), {"duration"});
    write_source_timing(segment, typed.source_timing);
    write_look(segment, typed);
}

// ---- sources ---------------------------------------------------------------------------

// null, absent and 0 all mean "beat 0 is at the start of the medium": kept as written.
void write_starting_offset(Json& source, Seconds offset) {
    const Json* written = member(source, "startingOffset");
    const double said = written && written->is_number() ? written->get<double>() : 0;
    if ((!written || written->is_number()) && said == offset.value()) return;
    put_after(source, "startingOffset", offset.value(), {"url"});
}

// As written when it reads back as the typed kind ("Video" stays "Video", "" stays "" when
// the url says the same); else the kind's name.
Json mediatype_value(const Json& source, const Source& typed) {
    const Json* written = member(source, "mediatype");
    if (written && written->is_string()) {
        try {
            if (detail::read_mediatype(source, "", typed.extension, typed.url) == typed.mediatype)
                return *written;
        } catch (const Error&) {
            // Not a kind at all: replaced below.
        }
    }
    if (detail::infer_media_kind(typed.extension, typed.url) == typed.mediatype) return "";
    return media_kind_name(typed.mediatype);
}

void write_optional_size(Json& source, const char* key, const std::optional<int>& size,
                         std::initializer_list<const char*> anchors) {
    if (size)
        put_after(source, key, *size, anchors);
    else if (member(source, key))
        source.erase(key);
}

// The Elm editor fails to decode a source without id, url, checksums, extension and
// mediatype (as strings), so each is written, "" where unknown.
void write_source(Json& source, const Source& typed) {
    put_front(source, "id", typed.id);
    put_after(source, "url", typed.url, {"id"});
    write_starting_offset(source, typed.starting_offset);
    if (!member(source, "checksums")) put_after(source, "checksums", "", {"startingOffset", "url"});
    put_after(source, "extension", typed.extension, {"format", "checksums"});
    put_after(source, "mediatype", mediatype_value(source, typed), {"extension"});
    write_optional_size(source, "width", typed.width, {"mediatype"});
    write_optional_size(source, "height", typed.height, {"width", "mediatype"});
}

// The typed list decides how many items there are; item i starts from the document's
// item i, so its unknown fields stay.
template <typename Item, typename WriteItem>
void write_list(Json& out, const std::string& key, const std::vector<Item>& items,
                WriteItem write_item, std::initializer_list<const char*> anchors) {
    const Json* written_list = member(out, key);
    if (!written_list && items.empty()) return;  // absent or null says the same as []
    Json written = written_list && written_list->is_array() ? std::move(out[key]) : Json::array();
    Json list = Json::array();
    for (std::size_t i = 0; i < items.size(); ++i) {
        Json item =
            i < written.size() && written[i].is_object() ? std::move(written[i]) : Json::object();
        write_item(item, items[i]);
        list.push_back(std::move(item));
    }
    put_after(out, key, std::move(list), anchors);
}

}  // namespace

Json to_canonical(const Komposition& komposition) {
    Json out = komposition.document.is_object() ? komposition.document : Json::object();
    write_document_id(out, komposition.id);
    write_type_and_bpm(out, komposition);
    write_config(out, komposition.config);
    write_beatpattern(out, komposition.beatpattern);
    write_list(out, "segments", komposition.segments, write_segment,
               {"beatpattern", "config", "bpm"});
    write_list(out, "sources", komposition.sources, write_source,
               {"segments", "beatpattern", "config"});
    return out;
}

std::string to_canonical_text(const Komposition& komposition, int indent) {
    try {
        return to_canonical(komposition).dump(indent);
    } catch (const Json::exception& e) {
        // Only a document built in code can get here (strings that are not UTF-8).
        throw Error::invalid(std::string("writing the canonical form: ") + e.what());
    }
}

}  // namespace kompo::komp
