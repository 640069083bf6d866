#include "cli/request_of.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "cli/document.hpp"
#include "core/error.hpp"
#include "plan/describe.hpp"
#include "render/sources.hpp"

namespace kompo::cli {

namespace fs = std::filesystem;

namespace {

// The output's extension picks the container when it names one (`-o clip.webm`).
void apply_output_container(komp::Komposition& k, const fs::path& output) {
    static const std::set<std::string> supported{"mp4", "webm", "mov", "mkv"};
    std::string ext = output.extension().string();
    if (ext.empty()) return;
    ext = ext.substr(1);
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    if (!supported.contains(ext)) {
        throw Error::invalid("-o " + output.string() + ": \"" + ext +
                             "\" is not a supported container (mp4, webm, mov, mkv)");
    }
    k.config.extension = ext;
}

// Checked before anything is queued: a render whose output cannot be written is refused.
void check_output_folder(const fs::path& output) {
    if (!fs::is_directory(output.parent_path())) {
        throw Error::io(output.string() + ": cannot write: the folder " +
                        output.parent_path().string() + " does not exist");
    }
}

// A render written over one of its own media would destroy the footage it reads (and every
// later render of it): refused, naming the source.
void check_output_is_no_source(const komp::Komposition& k, const fs::path& output,
                               const fs::path& media_root) {
    std::error_code ec;
    if (!fs::exists(output, ec)) return;
    const render::SourcePolicy policy{media_root, false, {}};
    for (std::size_t i = 0; i < k.sources.size(); ++i) {
        fs::path medium;
        try {
            medium = render::resolve_source(k.sources[i], i, policy);
        } catch (const Error&) {
            continue;  // the render names what is wrong with it
        }
        if (fs::equivalent(output, medium, ec)) {
            throw Error::invalid("-o " + output.string() + ": it is the medium of " +
                                 plan::source_label(i, k.sources[i].id) +
                                 ": rendering there would overwrite it; choose another file");
        }
    }
}

}  // namespace

workflow::RenderRequest request_from_flags(const std::string& komposition,
                                           const std::string& output, const std::string& media_root,
                                           const RangeFlags& range) {
    auto k = load_komposition(komposition);
    workflow::RenderRequest request;
    request.media_root = media_root_for(komposition, media_root).string();
    if (!output.empty()) {
        const auto out = fs::absolute(output);
        apply_output_container(k, out);
        check_output_folder(out);
        check_output_is_no_source(k, out, request.media_root);
        request.output = out.string();
    }
    request.komposition = komp::to_canonical_text(k, -1);
    request.range = range;
    return request;
}

}  // namespace kompo::cli
