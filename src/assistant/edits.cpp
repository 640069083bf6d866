#include "assistant/edits.hpp"

#include <algorithm>
#include <cmath>

namespace kompo::assistant {

namespace {

using Doc = komp::Json;  // ordered: keeps the document's key order

double beats_of(const Doc& segment, const char* key) {
    return segment.value(key, 0.0);
}

// Whole numbers as integers, as the Elm editor writes beats.
Doc beat_value(double beats) {
    const double rounded = std::round(beats * 1000) / 1000;
    if (rounded == std::floor(rounded)) return static_cast<std::int64_t>(rounded);
    return rounded;
}

void set_span(Doc& segment, double start, double end) {
    segment["start"] = beat_value(start);
    segment["duration"] = beat_value(end - start);
    segment["end"] = beat_value(end);
}

void sort_by_start(Doc& segments) {
    std::stable_sort(segments.begin(), segments.end(), [](const Doc& a, const Doc& b) {
        return beats_of(a, "start") < beats_of(b, "start");
    });
}

Doc& array_at(Doc& document, const char* key) {
    if (!document.contains(key) || !document[key].is_array()) document[key] = Doc::array();
    return document[key];
}

Doc& config_of(Doc& document) {
    if (!document.contains("config") || !document["config"].is_object())
        document["config"] = Doc::object();
    return document["config"];
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

bool is_audio(const Doc& source) {
    return lower(source.value("mediatype", "")) == "audio";
}

// ---- the edits ----------------------------------------------------------------------

void set_bpm(Doc& document, const Json& edit) {
    const double bpm = edit["bpm"].get<double>();
    document["bpm"] = bpm == std::floor(bpm) ? Doc(static_cast<std::int64_t>(bpm)) : Doc(bpm);
    // masterbpm overrides bpm: the tempo asked for is the one that must apply.
    if (document.contains("beatpattern") && document["beatpattern"].is_object() &&
        document["beatpattern"].value("masterbpm", 0.0) > 0)
        document["beatpattern"]["masterbpm"] = document["bpm"];
}

void set_size(Doc& document, const Json& edit) {
    auto& config = config_of(document);
    // Encoders want even sizes for 4:2:0 video.
    if (edit["width"].get<int>() % 2 || edit["height"].get<int>() % 2)
        throw ToolRefused("invalid_edit", "set_size: width and height must be even");
    config["width"] = edit["width"];
    config["height"] = edit["height"];
}

// The soundtrack: the first audio source no segment shows as picture.
Doc* soundtrack(Doc& document) {
    const auto& segments = array_at(document, "segments");
    for (auto& source : array_at(document, "sources")) {
        if (!is_audio(source)) continue;
        const auto id = source.value("id", "");
        const bool pictured = std::any_of(segments.begin(), segments.end(), [&](const Doc& s) {
            return s.value("sourceid", "") == id;
        });
        if (!pictured) return &source;
    }
    return nullptr;
}

void set_first_beat(Doc& document, const Json& edit) {
    Doc* song = soundtrack(document);
    if (!song) throw ToolRefused("invalid_edit", "set_first_beat: the komposition has no song");
    (*song)["startingOffset"] = edit["seconds"];
}

// Lays segments first..second (1-based, in time order) out again with the two swapped,
// each keeping its length and the gaps between them staying where they were.
void swap_segments(Doc& document, const Json& edit) {
    auto& segments = array_at(document, "segments");
    sort_by_start(segments);
    auto first = edit["first"].get<std::size_t>();
    auto second = edit["second"].get<std::size_t>();
    if (first > second) std::swap(first, second);
    if (second > segments.size() || first == second) {
        throw ToolRefused("invalid_edit", "swap_segments: the komposition has " +
                                              std::to_string(segments.size()) +
                                              " segments; cannot swap " + std::to_string(first) +
                                              " and " + std::to_string(second));
    }
    std::vector<double> gaps;
    for (std::size_t i = first - 1; i + 1 < second; ++i)
        gaps.push_back(beats_of(segments[i + 1], "start") - beats_of(segments[i], "end"));
    std::vector<Doc> run(segments.begin() + static_cast<long>(first - 1),
                         segments.begin() + static_cast<long>(second));
    std::swap(run.front(), run.back());
    double cursor = beats_of(segments[first - 1], "start");
    for (std::size_t k = 0; k < run.size(); ++k) {
        const double length = beats_of(run[k], "end") - beats_of(run[k], "start");
        set_span(run[k], cursor, cursor + length);
        cursor += length + (k < gaps.size() ? gaps[k] : 0);
        segments[first - 1 + k] = std::move(run[k]);
    }
}

std::string extension_of(const std::string& name) {
    const auto dot = name.rfind('.');
    return dot == std::string::npos ? "" : lower(name.substr(dot + 1));
}

bool id_taken(const Doc& list, const std::string& id) {
    return std::any_of(list.begin(), list.end(),
                       [&](const Doc& item) { return item.value("id", "") == id; });
}

std::string unique_id(const Doc& list, const std::string& wanted) {
    std::string id = wanted;
    for (int n = 2; id_taken(list, id); ++n) id = wanted + "_" + std::to_string(n);
    return id;
}

// The komposition's source id for `name`: one of its sources, else a medium of the
// library added as a source (its url a file:// name, resolved in the tenant's folder).
std::string source_for(Doc& document, const std::string& name,
                       const std::vector<NamedMedium>& media) {
    auto& sources = array_at(document, "sources");
    std::vector<NamedMedium> own;
    for (const auto& source : sources)
        own.push_back({source.value("id", ""), lower(source.value("mediatype", ""))});
    auto found = match_name(name, own);
    if (found) return *found;
    const auto medium = match_name(name, media);
    if (!medium) {
        throw ToolRefused("invalid_edit",
                          "place_source: no source or medium is called \"" + name + "\"");
    }
    const auto kind = std::find_if(media.begin(), media.end(), [&](const NamedMedium& m) {
                          return m.name == *medium;
                      })->kind;
    for (const auto& source : sources) {
        if (source.value("url", "") == "file://" + *medium) return source.value("id", "");
    }
    Doc source = Doc::object();
    source["id"] = unique_id(sources, *medium);
    source["url"] = "file://" + *medium;
    source["startingOffset"] = 0;
    source["checksums"] = "";
    source["format"] = "";
    source["extension"] = extension_of(*medium);
    source["mediatype"] = kind;
    sources.push_back(source);
    return source["id"].get<std::string>();
}

// Clears [from, to) of other segments (trimming or splitting those that reach into it),
// then puts the source there.
void place_source(Doc& document, const Json& edit, const std::vector<NamedMedium>& media) {
    const double from = edit["from_beat"].get<double>();
    const double to = edit["to_beat"].get<double>();
    if (to <= from) {
        throw ToolRefused("invalid_edit", "place_source: to_beat must be after from_beat");
    }
    const auto source_id = source_for(document, edit["source"].get<std::string>(), media);
    auto& segments = array_at(document, "segments");
    Doc kept = Doc::array();
    for (const auto& segment : segments) {
        const double start = beats_of(segment, "start");
        const double end = beats_of(segment, "end");
        if (end <= from || start >= to) {
            kept.push_back(segment);
            continue;
        }
        if (start < from) {
            Doc left = segment;
            set_span(left, start, from);
            kept.push_back(std::move(left));
        }
        if (end > to) {
            Doc right = segment;
            right["id"] = unique_id(segments, segment.value("id", "segment") + "_after");
            set_span(right, to, end);
            kept.push_back(std::move(right));
        }
    }
    Doc placed = Doc::object();
    placed["id"] = unique_id(kept, source_id + "_" + beat_value(from).dump());
    placed["sourceid"] = source_id;
    set_span(placed, from, to);
    kept.push_back(std::move(placed));
    sort_by_start(kept);
    segments = std::move(kept);
}

}  // namespace

komp::Json apply_edits(const komp::Json& document, const Json& edits,
                       const std::vector<NamedMedium>& media) {
    Doc edited = komp::to_canonical(komp::from_json(document));
    for (const auto& edit : edits) {
        const auto op = edit["op"].get<std::string>();
        if (op == "set_bpm")
            set_bpm(edited, edit);
        else if (op == "set_size")
            set_size(edited, edit);
        else if (op == "set_fit")
            config_of(edited)["fit"] = edit["fit"];
        else if (op == "set_framerate")
            config_of(edited)["framerate"] = edit["fps"];
        else if (op == "set_first_beat")
            set_first_beat(edited, edit);
        else if (op == "swap_segments")
            swap_segments(edited, edit);
        else if (op == "place_source")
            place_source(edited, edit, media);
        else
            throw ToolRefused("invalid_edit", op + ": not an edit");
    }
    try {
        auto result = komp::from_json(edited);
        komp::validate(result);
        return komp::to_canonical(result);
    } catch (const ToolRefused&) {
        throw;
    } catch (const Error& error) {
        throw ToolRefused(
            "invalid_edit",
            std::string("the edit would make an invalid komposition: ") + error.what());
    }
}

komp::Json patch_between(const komp::Json& before, const komp::Json& after) {
    return komp::Json::diff(before, after);
}

}  // namespace kompo::assistant
