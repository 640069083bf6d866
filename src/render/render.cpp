#include "render/render.hpp"

#include "core/error.hpp"

namespace kompo::render {

plan::MediaBySource probe_for_render(const komp::Komposition& komposition,
                                     const RenderOptions& options) {
    if (komposition.type != "Komposition") {
        throw Error::invalid("type: \"" + komposition.type +
                             "\" describes one medium; only \"Komposition\" documents render");
    }
    return probe_sources(komposition, options.range, options.sources, options.prober,
                         options.parallel_probes);
}

plan::Plan plan_render(const komp::Komposition& komposition, const RenderOptions& options) {
    const auto media = probe_for_render(komposition, options);
    return plan::make_plan(komposition, media, plan::PlanOptions{options.range});
}

}  // namespace kompo::render
