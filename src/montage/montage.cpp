#include "montage/montage.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.hpp"
#include "montage/window_choice.hpp"

namespace kompo::montage {

namespace {

using ojson = nlohmann::ordered_json;

std::string extension_of(const std::string& url) {
    const auto dot = url.find_last_of('.');
    const auto slash = url.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    return url.substr(dot + 1);
}

ojson source(const std::string& id, const std::string& url, const char* mediatype,
             double starting_offset) {
    return ojson{{"id", id},
                 {"url", url},
                 {"startingOffset", starting_offset},
                 {"checksums", ""},
                 {"format", ""},
                 {"extension", extension_of(url)},
                 {"mediatype", mediatype}};
}

void check(const Song& song, const std::vector<Clip>& clips, const Options& options) {
    if (clips.empty()) throw Error::invalid("clips: at least one video clip is needed");
    if (!(song.bpm > 0))
        throw Error::invalid("bpm: must be > 0 (give one when the song's is unsure)");
    if (options.bars_per_cut < 1 || options.beats_per_bar < 1) {
        throw Error::invalid("bars_per_cut: must be at least 1");
    }
}

}  // namespace

nlohmann::ordered_json build_komposition(const Song& song, const std::vector<Clip>& clips,
                                         const Options& options) {
    check(song, clips, options);
    const int cut_beats = options.bars_per_cut * options.beats_per_bar;
    const double cut_seconds = cut_beats * 60.0 / song.bpm;
    int cuts =
        static_cast<int>(std::floor((song.duration - song.first_downbeat) / cut_seconds + 1e-9));
    if (options.max_cuts) cuts = std::min(cuts, *options.max_cuts);
    if (cuts < 1) {
        throw Error::invalid(song.url + ": too short for one cut of " +
                             std::to_string(options.bars_per_cut) + " bars at " +
                             std::to_string(song.bpm) + " BPM");
    }

    ojson segments = ojson::array();
    std::map<std::size_t, std::vector<Window>> used;
    for (int i = 0; i < cuts; ++i) {
        const std::size_t c = static_cast<std::size_t>(i) % clips.size();
        const Window w = best_window(clips[c], cut_seconds, used[c]);
        used[c].push_back(w);
        segments.push_back({{"id", "cut_" + std::to_string(i + 1)},
                            {"sourceid", clips[c].id},
                            {"start", i * cut_beats},
                            {"duration", cut_beats},
                            {"end", (i + 1) * cut_beats},
                            {"source_timing",
                             {{"original_start", std::round(w.start * 1e4) / 1e4},
                              {"original_duration", std::round(w.length * 1e6) / 1e6}}}});
    }

    ojson sources = ojson::array();
    for (const Clip& clip : clips) {
        ojson s = source(clip.id, clip.url, "video", 0);
        if (clip.width > 0) s["width"] = clip.width, s["height"] = clip.height;
        sources.push_back(std::move(s));
    }
    sources.push_back(source(song.id, song.url, "audio", song.first_downbeat));

    return ojson{
        {"_id", options.name},
        {"name", options.name},
        {"type", "Komposition"},
        {"bpm", song.bpm},
        {"config",
         {{"width", options.width},
          {"height", options.height},
          {"framerate", options.framerate},
          {"extension", options.extension}}},
        {"beatpattern", {{"frombeat", 0}, {"tobeat", cuts * cut_beats}, {"masterbpm", song.bpm}}},
        {"segments", std::move(segments)},
        {"sources", std::move(sources)}};
}

}  // namespace kompo::montage
