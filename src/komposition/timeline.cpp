#include "komposition/timeline.hpp"

#include <algorithm>

namespace kompo::komp {

namespace {
Beats last_segment_end(const Komposition& k) {
    Beats end(0);
    for (const auto& s : k.segments) end = std::max(end, s.end);
    return end;
}
}  // namespace

Timeline::Timeline(const Komposition& komposition, const RenderRange& range)
    : bpm_(komposition.effective_bpm()), frame_rate_(komposition.config.framerate) {
    const auto& pattern = komposition.beatpattern;
    from_ = range.from.value_or(pattern ? pattern->from : Beats(0));
    to_ = range.to.value_or(pattern ? pattern->to : last_segment_end(komposition));
}

}  // namespace kompo::komp
