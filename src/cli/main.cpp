// kompo: render kompositions into beat-exact music videos.
#include <malloc.h>

#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/signals.hpp"
#include "core/error.hpp"

namespace {

using namespace kompo::cli;

void add_range_flags(CLI::App* cmd, RangeFlags& range) {
    cmd->add_option("--from-beat", range.from_beat, "First beat to render (inclusive)");
    cmd->add_option("--to-beat", range.to_beat, "Beat to stop at (exclusive)");
}

struct Flags {
    RenderFlags render;
    PlanFlags plan;
    std::string validate_file;
    std::string probe_file;
    std::string canonical_file;
    std::string canonical_output;
};

void add_commands(CLI::App& app, Flags& f) {
    auto* render = app.add_subcommand("render", "Render a komposition to a video file");
    render->add_option("komposition", f.render.komposition, "Komposition JSON file")->required();
    render
        ->add_option("-o,--output", f.render.output,
                     "Output file; its extension (mp4, webm, mov, mkv) picks the container")
        ->required();
    render->add_option("--media-root", f.render.media_root,
                       "Folder for file://NAME and relative source urls (default: the "
                       "komposition's folder)");
    add_range_flags(render, f.render.range);
    render->add_option("--threads", f.render.threads, "Threads to use (default: all cores)")
        ->check(CLI::Range(1, 256));
    render->add_option("--progress", f.render.progress, "auto, bar, plain, json or none")
        ->check(CLI::IsMember({"auto", "bar", "plain", "json", "none"}));

    auto* validate = app.add_subcommand("validate", "Check a komposition against the format");
    validate->add_option("komposition", f.validate_file)->required();

    auto* probe = app.add_subcommand("probe", "Describe a medium (JSON)");
    probe->add_option("file", f.probe_file)->required();

    auto* plan = app.add_subcommand("plan", "Print the pieces a render consists of");
    plan->add_option("komposition", f.plan.komposition)->required();
    plan->add_option("--media-root", f.plan.media_root, "As for render");
    add_range_flags(plan, f.plan.range);

    auto* canonical = app.add_subcommand("canonical", "Write the canonical form of a komposition");
    canonical->add_option("komposition", f.canonical_file)->required();
    canonical->add_option("-o,--output", f.canonical_output, "Output file (default: stdout)");
}

int dispatch(const CLI::App& app, const Flags& f, const SignalWatcher& signals) {
    if (app.got_subcommand("render")) return run_render(f.render, signals.cancelled());
    if (app.got_subcommand("validate")) return run_validate(f.validate_file);
    if (app.got_subcommand("probe")) return run_probe(f.probe_file);
    if (app.got_subcommand("plan")) return run_plan(f.plan);
    return run_canonical(f.canonical_file, f.canonical_output);
}

}  // namespace

int main(int argc, char** argv) {
    // Decoded frames are megabytes each and come and go all the time. glibc otherwise
    // raises its mmap threshold after the first frees and keeps freed frames in the heap:
    // a fixed threshold hands them back, ~35 MB less peak memory in bench/render.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    SignalWatcher signals;  // first: every later thread inherits the blocked signals
    CLI::App app{"kompo: render kompositions into beat-exact music videos"};
    app.footer(kExitCodesHelp);
    app.require_subcommand(1);
    Flags flags;
    add_commands(app, flags);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "error: %s (see kompo --help)\n", e.what());
        return kUsage;
    }
    try {
        return dispatch(app, flags, signals);
    } catch (const kompo::Error& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return exit_code_for(e.kind());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: internal: %s\n", e.what());
        return kInternal;
    }
}
