#pragma once
// Where a source's `url` points on this machine.
#include <filesystem>
#include <string>

#include "komposition/komposition.hpp"
#include "plan/plan.hpp"

namespace kompo::render {

// `file://NAME` and relative paths resolve inside `media_root`; absolute paths are taken
// as they are (the command-line user owns the machine). http(s) is refused (not fetched).
// Throws Error(invalid_input) naming `sources[i].url`.
std::filesystem::path resolve_source(const komp::Source& source, std::size_t index,
                                     const std::filesystem::path& media_root);

// Probes every source the render range needs (segment pictures and the soundtrack).
// Errors name the source: `sources[2] ("clip_a").url: media/a.mp4: file not found`.
plan::MediaBySource probe_sources(const komp::Komposition& komposition,
                                  const komp::RenderRange& range,
                                  const std::filesystem::path& media_root);

}  // namespace kompo::render
