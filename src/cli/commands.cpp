#include "cli/commands.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "cli/document.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"
#include "media/probe.hpp"
#include "plan/describe.hpp"
#include "render/render.hpp"

namespace kompo::cli {

namespace fs = std::filesystem;

namespace {

nlohmann::json media_json(const MediaInfo& info) {
    nlohmann::json j{{"path", info.path},
                     {"container", info.container},
                     {"kind", media_kind_name(info.kind)},
                     {"duration", info.duration.value()}};
    if (info.video) {
        const auto& v = *info.video;
        j["video"] = {{"codec", v.codec},
                      {"width", v.width},
                      {"height", v.height},
                      {"frame_rate",
                       std::to_string(v.frame_rate.num) + "/" + std::to_string(v.frame_rate.den)},
                      {"rotation", v.rotation},
                      {"pixel_format", v.pixel_format}};
    }
    if (info.audio) {
        j["audio"] = {{"codec", info.audio->codec},
                      {"sample_rate", info.audio->sample_rate},
                      {"channels", info.audio->channels}};
    }
    return j;
}

}  // namespace

int run_validate(const std::string& path) {
    const auto k = load_komposition(path);
    const komp::Timeline tl(k);
    std::printf(
        "%s: valid %s \"%s\": %zu segments, %zu sources, beats %g to %g at %g BPM, "
        "%dx%d @ %d/%d fps, %s\n",
        path.c_str(), k.type.c_str(), k.id.c_str(), k.segments.size(), k.sources.size(),
        tl.from().value(), tl.to().value(), tl.bpm(), k.config.width, k.config.height,
        k.config.framerate.num, k.config.framerate.den, k.config.extension.c_str());
    return kOk;
}

int run_probe(const std::string& file) {
    std::printf("%s\n", media_json(media::probe(file)).dump(2).c_str());
    return kOk;
}

int run_plan(const PlanFlags& flags) {
    const auto k = load_komposition(flags.komposition);
    render::RenderOptions options;
    options.range = flags.range;
    options.sources.media_root = media_root_for(flags.komposition, flags.media_root);
    const auto plan = render::plan_render(k, options);
    std::printf("%s", plan::describe_plan(plan).c_str());
    for (const auto& w : plan.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    return kOk;
}

int run_canonical(const std::string& path, const std::string& output) {
    const auto text = komp::to_canonical_text(load_komposition(path)) + "\n";
    if (output.empty() || output == "-") {
        std::fwrite(text.data(), 1, text.size(), stdout);
    } else {
        write_file_atomically(output, text);
    }
    return kOk;
}

}  // namespace kompo::cli
