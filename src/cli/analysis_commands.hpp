#pragma once
// `kompo analyze` (tempo, beats, shot changes of a medium) and `kompo auto` (a komposition
// cut on the beat from a song and clips, optionally rendered).
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/setting_flags.hpp"
#include "cli/signals.hpp"
#include "platform/auto_komposition.hpp"
#include "platform/platform.hpp"

namespace kompo::cli {

struct AnalyzeFlags {
    std::string file;
    bool json = false;
    double min_bpm = 60;
    double max_bpm = 200;
    double shot_threshold = 10;
};

struct AutoFlags {
    std::string audio;
    std::vector<std::string> clips;
    std::string output = "auto.json";
    bool render = false;
    std::string video;  // with --render; default: the komposition's name with .mp4
    platform::AutoSettings settings;
    AnalyzeFlags analysis;
};

void add_analysis_commands(CLI::App& app, AnalyzeFlags& analyze, AutoFlags& automatic);
// The exit code of the analysis command the user gave, or nothing for another command.
std::optional<int> run_analysis_command(const CLI::App& app, const AnalyzeFlags& analyze,
                                        const AutoFlags& automatic, const SettingFlags& store,
                                        const SignalWatcher& signals);

}  // namespace kompo::cli
