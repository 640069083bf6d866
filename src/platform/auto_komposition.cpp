#include "platform/auto_komposition.hpp"

#include <cmath>
#include <cstdio>

#include "core/error.hpp"

namespace kompo::platform {

namespace {

// A given tempo this close to the analysed one keeps the analysed downbeat.
constexpr double kSameTempo = 0.02;

std::string number(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", x);
    return text;
}

montage::Song song_of(const AutoRequest& request, const analysis::MediumAnalysis& analysed) {
    if (!analysed.tempo)
        throw Error::invalid(request.song.url + ": not an audio medium (the song)");
    const analysis::BeatGrid& grid = analysed.tempo->grid;
    montage::Song song{"song", request.song.url, grid.bpm, grid.first_downbeat,
                       analysed.duration.value()};
    if (request.settings.bpm) {
        song.bpm = *request.settings.bpm;
        const bool same = grid.confident && std::fabs(grid.bpm - song.bpm) <= kSameTempo * song.bpm;
        if (!same) song.first_downbeat = grid.music_start;
    } else if (!grid.confident) {
        throw Error::invalid(request.song.url + ": tempo unsure (confidence " +
                             number(grid.confidence) + ", best guess " + number(grid.bpm) +
                             " BPM); give the bpm");
    }
    if (request.settings.offset) song.first_downbeat = *request.settings.offset;
    // As the analysis shows them: 0.001 BPM (under 2 ms over 3 minutes), 0.1 ms.
    song.bpm = std::round(song.bpm * 1e3) / 1e3;
    song.first_downbeat = std::round(song.first_downbeat * 1e4) / 1e4;
    return song;
}

montage::Clip clip_of(const AutoMedium& medium, std::size_t index,
                      const analysis::MediumAnalysis& analysed) {
    if (!analysed.shots) throw Error::invalid(medium.url + ": not a video clip");
    montage::Clip clip;
    clip.id = "clip_" + std::to_string(index + 1);
    clip.url = medium.url;
    clip.duration = analysed.duration.value();
    for (const auto& change : analysed.shots->shot_changes)
        clip.shot_changes.push_back(change.time.value());
    for (const auto& second : analysed.shots->seconds)
        clip.seconds.push_back({second.brightness, second.motion});
    return clip;
}

montage::Options montage_options(const AutoSettings& settings) {
    montage::Options options;
    options.name = settings.name;
    options.bars_per_cut = settings.bars_per_cut;
    options.max_cuts = settings.max_cuts;
    options.width = settings.width;
    options.height = settings.height;
    options.framerate = settings.framerate;
    return options;
}

}  // namespace

nlohmann::ordered_json auto_komposition(const AutoRequest& request, const Analyse& analyse) {
    const montage::Song song = song_of(request, analyse(request.song.file));
    std::vector<montage::Clip> clips;
    for (std::size_t i = 0; i < request.clips.size(); ++i) {
        clips.push_back(clip_of(request.clips[i], i, analyse(request.clips[i].file)));
    }
    return montage::build_komposition(song, clips, montage_options(request.settings));
}

}  // namespace kompo::platform
