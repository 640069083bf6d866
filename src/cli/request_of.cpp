#include "cli/request_of.hpp"

#include <algorithm>
#include <filesystem>
#include <set>

#include "cli/document.hpp"
#include "core/error.hpp"

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

}  // namespace

workflow::RenderRequest request_from_flags(const std::string& komposition,
                                           const std::string& output, const std::string& media_root,
                                           const RangeFlags& range) {
    auto k = load_komposition(komposition);
    workflow::RenderRequest request;
    if (!output.empty()) {
        const auto out = fs::absolute(output);
        apply_output_container(k, out);
        check_output_folder(out);
        request.output = out.string();
    }
    request.komposition = komp::to_canonical_text(k, -1);
    request.media_root = media_root_for(komposition, media_root).string();
    request.range = range;
    return request;
}

}  // namespace kompo::cli
