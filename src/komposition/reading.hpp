#pragma once
// Readers for the parts of a komposition that to_canonical also needs: it compares what a
// document says with the typed values to decide whether to keep the document's spelling.
// Internal to the komposition module.
#include <optional>
#include <string>
#include <string_view>

#include "komposition/komposition.hpp"

namespace kompo::komp::detail {

// What a segment's `fit` and `stretch_factor` say together.
struct SegmentLook {
    std::optional<Fit> fit;
    bool stretch = false;
    bool operator==(const SegmentLook&) const = default;
};
SegmentLook read_segment_look(const Json& segment, std::string_view path);

std::optional<SourceTiming> read_source_timing(const Json& segment, std::string_view path);
bool same_timing(const std::optional<SourceTiming>& a, const std::optional<SourceTiming>& b);

// `mediatype` in any letter case; "" or absent: inferred from `extension`, else the url.
MediaKind read_mediatype(const Json& source, std::string_view path, std::string_view extension,
                         std::string_view url);
// jpg/jpeg/png/webp/bmp → image; mp3/wav/flac/aac/m4a/ogg/opus → audio; anything else video.
MediaKind infer_media_kind(std::string_view extension, std::string_view url);
std::string fit_name(Fit fit);

// Why `fps` cannot be a `config.framerate`, or nullopt when it can (0, or 1 to 1000).
std::optional<std::string> frame_rate_problem(double fps);

}  // namespace kompo::komp::detail
