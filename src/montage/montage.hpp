#pragma once
// The automatic komposition: cuts between clips on a song's beat grid, each cut a window
// of a clip chosen to be neither black nor still, preferring windows that start at one of
// the clip's shot changes and hold no other. Pure: analysed media in, a document out.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace kompo::montage {

struct Song {
    std::string id;   // the source id in the komposition
    std::string url;  // as the komposition should name it
    double bpm = 0;
    double first_downbeat = 0;  // seconds: becomes the song's startingOffset (beat 0)
    double duration = 0;        // seconds
};

struct Levels {
    double brightness = 0;  // 0..1
    double motion = 0;      // 0..1
};

struct Clip {
    std::string id;
    std::string url;
    double duration = 0;               // seconds
    std::vector<double> shot_changes;  // seconds, each the first frame of a new shot
    std::vector<Levels> seconds;       // entry s covers [s, s + 1)
    int width = 0;
    int height = 0;
};

struct Options {
    std::string name = "auto";  // the document's _id and name
    int bars_per_cut = 2;
    int beats_per_bar = 4;
    std::optional<int> max_cuts;  // stop early (a preview); the song's length otherwise
    int width = 1280;
    int height = 720;
    int framerate = 30;
    std::string extension = "mp4";
};

// The komposition (canonical form, with source_timing windows). Throws Error(invalid_input)
// naming what is wrong: no clips, a tempo <= 0, a song too short for one cut.
nlohmann::ordered_json build_komposition(const Song& song, const std::vector<Clip>& clips,
                                         const Options& options);

}  // namespace kompo::montage
