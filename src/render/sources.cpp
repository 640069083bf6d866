#include "render/sources.hpp"

#include <set>

#include "core/error.hpp"
#include "komposition/timeline.hpp"
#include "media/probe.hpp"
#include "plan/describe.hpp"
#include "plan/stream_copy.hpp"

namespace kompo::render {

namespace fs = std::filesystem;

namespace {

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// Sources whose media the render range needs: pictures of segments in range, and the
// soundtrack.
std::set<std::string> needed_sources(const komp::Komposition& k, const komp::RenderRange& range) {
    const komp::Timeline tl(k, range);
    std::set<std::string> ids;
    for (const auto& seg : k.segments) {
        if (seg.end > tl.from() && seg.start < tl.to()) ids.insert(seg.source_id);
    }
    if (const auto* soundtrack = plan::soundtrack_of(k)) ids.insert(soundtrack->id);
    return ids;
}

}  // namespace

fs::path resolve_source(const komp::Source& source, std::size_t index, const fs::path& media_root) {
    const std::string where = plan::source_label(index, source.id) + ".url";
    std::string url = source.url;
    if (url.empty()) throw Error::invalid(where + ": empty");
    if (starts_with(url, "http://") || starts_with(url, "https://")) {
        throw Error::invalid(where + ": \"" + url +
                             "\" is remote; remote sources are not fetched, put the file in "
                             "the media folder and name it file://NAME");
    }
    if (starts_with(url, "file://")) url = url.substr(7);
    fs::path path(url);
    return path.is_absolute() ? path : media_root / path;
}

plan::MediaBySource probe_sources(const komp::Komposition& k, const komp::RenderRange& range,
                                  const fs::path& media_root) {
    const auto needed = needed_sources(k, range);
    plan::MediaBySource media;
    for (std::size_t i = 0; i < k.sources.size(); ++i) {
        const auto& source = k.sources[i];
        if (!needed.contains(source.id) || media.contains(source.id)) continue;
        const fs::path path = resolve_source(source, i, media_root);
        try {
            auto info = media::probe(path.string());
            // Keyframes (a scan of every packet) only where copying is possible at all.
            if (plan::copy_candidate(info, plan::output_format(k))) {
                info = media::probe(path.string(), true);
            }
            media.emplace(source.id, std::move(info));
        } catch (const Error& e) {
            throw Error(e.kind(), plan::source_label(i, source.id) + ".url: " + e.what());
        }
    }
    return media;
}

}  // namespace kompo::render
