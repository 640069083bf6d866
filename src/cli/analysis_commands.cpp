#include "cli/analysis_commands.hpp"

#include <cstdio>
#include <filesystem>

#include "analysis/analysis.hpp"
#include "cli/commands.hpp"
#include "cli/document.hpp"
#include "cli/exit_codes.hpp"
#include "cli/workflow_commands.hpp"
#include "core/error.hpp"
#include "platform/auto_komposition.hpp"

namespace kompo::cli {

namespace fs = std::filesystem;

namespace {

analysis::AnalysisOptions analysis_options(const AnalyzeFlags& flags) {
    analysis::AnalysisOptions options;
    options.tempo.min_bpm = flags.min_bpm;
    options.tempo.max_bpm = flags.max_bpm;
    options.shot_threshold = flags.shot_threshold;
    return options;
}

void add_analysis_flags(CLI::App* cmd, AnalyzeFlags& flags) {
    cmd->add_option("--min-bpm", flags.min_bpm, "Slowest tempo to consider (60)")
        ->check(CLI::Range(20.0, 400.0));
    cmd->add_option("--max-bpm", flags.max_bpm, "Fastest tempo to consider (200; >= 2 x min)")
        ->check(CLI::Range(40.0, 800.0));
    cmd->add_option("--shot-threshold", flags.shot_threshold,
                    "Scene change score (0..100) that starts a new shot (10)")
        ->check(CLI::Range(0.0, 100.0));
}

void print_tempo(const analysis::TempoAnalysis& tempo) {
    const analysis::BeatGrid& g = tempo.grid;
    if (!g.confident) {
        std::printf(
            "tempo: unsure (confidence %.2f): the best guess, %.2f BPM, is not offered; set the "
            "bpm by ear (kompo auto --bpm N)\n",
            g.confidence, g.bpm);
    } else {
        std::printf("tempo: %.3f BPM (confidence %.2f)\n", g.bpm, g.confidence);
        std::printf("beats: %zu, first at %.3f s, first downbeat at %.3f s (music from %.3f s)\n",
                    g.beats.size(), g.first_beat, g.first_downbeat, g.music_start);
        std::printf("offer: bpm %.3f, startingOffset %.3f\n", g.bpm, g.first_downbeat);
    }
    std::printf("aubio's own tracker: %.2f BPM\n", tempo.aubio_bpm);
}

// Runs of seconds where `is` holds, as "3-5, 9" (empty: "none").
template <typename Is>
std::string seconds_where(const std::vector<media::SecondProfile>& seconds, Is is) {
    std::string out;
    for (std::size_t s = 0; s < seconds.size(); ++s) {
        if (!is(seconds[s])) continue;
        std::size_t end = s;
        while (end + 1 < seconds.size() && is(seconds[end + 1])) ++end;
        if (!out.empty()) out += ", ";
        out += std::to_string(s) + (end > s ? "-" + std::to_string(end) : "");
        s = end;
    }
    return out.empty() ? "none" : out;
}

void print_shots(const media::VideoProfile& p) {
    std::printf("frames: %lld at %d/%d fps\n", static_cast<long long>(p.frames), p.frame_rate.num,
                p.frame_rate.den);
    std::printf("shot changes: %zu\n", p.shot_changes.size());
    for (const auto& c : p.shot_changes) {
        std::printf("  frame %lld at %.3f s (score %.1f)\n", static_cast<long long>(c.frame),
                    c.time.value(), c.score);
    }
    std::printf("black seconds: %s\n", seconds_where(p.seconds, [](const auto& s) {
                                           return s.brightness < 0.08;
                                       }).c_str());
    std::printf("still seconds: %s\n",
                seconds_where(p.seconds, [](const auto& s) { return s.motion < 0.002; }).c_str());
}

int run_analyze(const AnalyzeFlags& flags) {
    const auto options = analysis_options(flags);
    const analysis::MediumAnalysis result = analysis::analyze_medium(flags.file, options);
    if (flags.json) {
        std::printf("%s\n", analysis::analysis_json(result, options).dump(2).c_str());
        return kOk;
    }
    std::printf("%s: %s, %.3f s\n", flags.file.c_str(), media_kind_name(result.kind),
                result.duration.value());
    if (result.tempo) print_tempo(*result.tempo);
    if (result.shots) print_shots(*result.shots);
    if (!result.tempo && !result.shots) std::printf("nothing to analyse in a still image\n");
    return kOk;
}

// How the komposition at `komposition` names `file`: relative to its folder when it can.
std::string url_from(const fs::path& komposition, const std::string& file) {
    const fs::path folder = fs::absolute(komposition).parent_path();
    const fs::path relative = fs::absolute(file).lexically_relative(folder);
    return relative.empty() ? fs::absolute(file).string() : relative.generic_string();
}

int run_auto(const AutoFlags& flags, const SettingFlags& store, const SignalWatcher& signals) {
    platform::AutoRequest request;
    request.song = {flags.audio, url_from(flags.output, flags.audio)};
    for (const auto& clip : flags.clips)
        request.clips.push_back({clip, url_from(flags.output, clip)});
    request.settings = flags.settings;
    request.settings.name = fs::path(flags.output).stem().string();
    request.analysis = analysis_options(flags.analysis);
    const auto options = request.analysis;
    const auto document = platform::auto_komposition(
        request, [&](const fs::path& file) { return analysis::analyze_medium(file, options); });
    write_file_atomically(flags.output, document.dump(2) + "\n");
    run_validate(flags.output);
    if (!flags.render) return kOk;

    RenderFlags render;
    render.komposition = flags.output;
    render.output = flags.video.empty() ? fs::path(flags.output).replace_extension(".mp4").string()
                                        : flags.video;
    return run_render_through_engine(store, render, signals);
}

}  // namespace

void add_analysis_commands(CLI::App& app, AnalyzeFlags& analyze, AutoFlags& automatic) {
    auto* cmd = app.add_subcommand(
        "analyze", "Tempo, beats and first downbeat of a song; shot changes of a video");
    cmd->add_option("file", analyze.file, "The medium")->required();
    cmd->add_flag("--json", analyze.json, "Print the analysis as JSON (as the API serves it)");
    add_analysis_flags(cmd, analyze);

    auto* a = app.add_subcommand("auto", "Make a komposition that cuts between clips on the beat");
    a->add_option("--audio", automatic.audio, "The song")->required();
    a->add_option("clips", automatic.clips, "Video clips to cut between")->required();
    a->add_option("--bars-per-cut", automatic.settings.bars_per_cut, "Bars of 4 beats per cut (2)")
        ->check(CLI::Range(1, 64));
    a->add_option("--bpm", automatic.settings.bpm, "The song's tempo (default: analysed)")
        ->check(CLI::Range(10.0, 1000.0));
    a->add_option("--offset", automatic.settings.offset,
                  "Seconds into the song where beat 0 falls (default: the first downbeat)")
        ->check(CLI::Range(0.0, 86400.0));
    a->add_option("--max-cuts", automatic.settings.max_cuts,
                  "At most this many cuts (default: the song's length)")
        ->check(CLI::Range(1, 100000));
    a->add_option("-o,--output", automatic.output, "Komposition file to write (auto.json)");
    a->add_flag("--render", automatic.render, "Render it too");
    a->add_option("--video", automatic.video, "With --render: the video (default: OUTPUT as .mp4)");
    a->add_option("--width", automatic.settings.width, "Output width (1280)")
        ->check(CLI::Range(2, 8192));
    a->add_option("--height", automatic.settings.height, "Output height (720)")
        ->check(CLI::Range(2, 8192));
    a->add_option("--fps", automatic.settings.framerate, "Output frames per second (30)")
        ->check(CLI::Range(1, 240));
    add_analysis_flags(a, automatic.analysis);
}

std::optional<int> run_analysis_command(const CLI::App& app, const AnalyzeFlags& analyze,
                                        const AutoFlags& automatic, const SettingFlags& store,
                                        const SignalWatcher& signals) {
    if (app.got_subcommand("analyze")) return run_analyze(analyze);
    if (app.got_subcommand("auto")) return run_auto(automatic, store, signals);
    return std::nullopt;
}

}  // namespace kompo::cli
