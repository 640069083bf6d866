// kompo: render kompositions into beat-exact music videos.
#include <malloc.h>

#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/account_commands.hpp"
#include "cli/analysis_commands.hpp"
#include "cli/assistant_commands.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/serve_command.hpp"
#include "cli/signals.hpp"
#include "cli/workflow_commands.hpp"
#include "core/error.hpp"

namespace {

using namespace kompo::cli;

void add_range_flags(CLI::App* cmd, RangeFlags& range) {
    cmd->add_option_function<double>(
        "--from-beat", [&range](double beat) { range.from = kompo::Beats(beat); },
        "First beat to render (inclusive)");
    cmd->add_option_function<double>(
        "--to-beat", [&range](double beat) { range.to = kompo::Beats(beat); },
        "Beat to stop at (exclusive)");
}

struct Flags {
    SettingFlags settings;  // every command's configuration flags
    RenderFlags render;
    SubmitFlags submit;
    StatusFlags status;
    std::string cancel_id;
    WorkerFlags worker;
    GcFlags gc;
    PlanFlags plan;
    std::string validate_file;
    std::string probe_file;
    std::string canonical_file;
    std::string canonical_output;
    AccountFlags accounts;
    AssistantFlags assistant;
    AnalyzeFlags analyze;
    AutoFlags automatic;
};

// Each flag sets one configuration key; only flags that were given override the file and
// the environment.
CLI::Option* add_setting_flag(CLI::App* cmd, SettingFlags& settings, const std::string& flag,
                              const std::string& key, const std::string& help) {
    return cmd->add_option_function<std::string>(
        flag, [&settings, key](const std::string& value) { settings.given[key] = value; }, help);
}

// What every command that opens the store takes: the configuration file and where the
// data lives.
void add_store_flags(CLI::App* cmd, SettingFlags& settings) {
    cmd->add_option("--config", settings.config_file,
                    "JSON settings file (default: $KOMPO_CONFIG; see kompo config)");
    add_setting_flag(cmd, settings, "--store", "store",
                     "State store url, sqlite:PATH or postgres://USER@HOST/DB (default: "
                     "sqlite:DATA_DIR/kompo.db)");
    add_setting_flag(cmd, settings, "--data-dir", "data_dir",
                     "Folder for the store, cached artifacts and media (default: "
                     "$KOMPO_DATA_DIR, else ~/.local/share/kompo)");
    add_setting_flag(cmd, settings, "--cache-size", "cache_size",
                     "Artifact cache limit, e.g. 20G (least recently used go first)");
}

void add_worker_flags(CLI::App* worker, Flags& f) {
    auto& s = f.settings;
    add_setting_flag(worker, s, "--concurrency", "workers.concurrency", "Steps at a time")
        ->check(CLI::Range(1, 256));
    add_setting_flag(worker, s, "--class", "workers.class", "preemptible or regular")
        ->check(CLI::IsMember({"preemptible", "regular"}));
    add_setting_flag(worker, s, "--threads-per-step", "workers.threads_per_step",
                     "Codec threads per step")
        ->check(CLI::Range(1, 64));
    add_setting_flag(worker, s, "--lease", "workers.lease_seconds", "Lease in seconds")
        ->check(CLI::Range(0.1, 3600.0));
    add_setting_flag(worker, s, "--checkpoint-interval", "workers.checkpoint_interval_seconds",
                     "Seconds between checkpoints of a running segment")
        ->check(CLI::Range(0.1, 3600.0));
    add_setting_flag(worker, s, "--grace", "workers.grace_seconds",
                     "Seconds to hand back on SIGTERM")
        ->check(CLI::Range(0.0, 3600.0));
    add_setting_flag(worker, s, "--chunk-seconds", "workers.chunk_seconds",
                     "Planning: segments longer than this are split into chunks")
        ->check(CLI::Range(0.1, 3600.0));
    worker->add_option("--id", f.worker.id, "Worker id (default: host-pid-random)");
    add_store_flags(worker, s);
}

void add_workflow_commands(CLI::App& app, Flags& f) {
    auto* submit = app.add_subcommand("submit", "Queue a render; prints its execution id");
    submit->add_option("komposition", f.submit.komposition, "Komposition JSON file")->required();
    submit->add_option("-o,--output", f.submit.output, "Where to publish the video (optional)");
    submit->add_option("--media-root", f.submit.media_root, "As for render");
    submit->add_option("--idempotency-key", f.submit.idempotency_key,
                       "Submitting again with the same key returns the same execution");
    add_range_flags(submit, f.submit.range);
    add_store_flags(submit, f.settings);

    auto* status = app.add_subcommand("status", "Show an execution and its steps");
    status->add_option("id", f.status.id, "Execution id")->required();
    status->add_flag("--watch", f.status.watch, "Follow it live until it ends");
    status->add_flag("--json", f.status.json, "Print the execution and every step as JSON");
    status->add_flag("--events", f.status.events, "With --json: add the execution's event log");
    add_store_flags(status, f.settings);

    auto* cancel = app.add_subcommand("cancel", "Cancel a queued or running execution");
    cancel->add_option("id", f.cancel_id, "Execution id")->required();
    add_store_flags(cancel, f.settings);

    add_worker_flags(app.add_subcommand("worker",
                                        "Claim and run steps until SIGTERM (then "
                                        "checkpoint, hand back, exit 0)"),
                     f);

    auto* gc = app.add_subcommand("gc", "Evict cached artifacts down to the cache limit");
    gc->add_option("--max-size", f.gc.max_size,
                   "Evict down to this size (default: the cache_size setting)");
    add_store_flags(gc, f.settings);
}

void add_serve_flags(CLI::App* cmd, SettingFlags& serve) {
    add_store_flags(cmd, serve);
    add_setting_flag(cmd, serve, "--host", "server.host", "Address to listen on (127.0.0.1)");
    add_setting_flag(cmd, serve, "--port", "server.port", "Port (8080; 0: any free port)");
    add_setting_flag(cmd, serve, "--workers", "workers.count",
                     "In-process worker slots (-1: one per core; 0: only `kompo worker`s)");
    add_setting_flag(cmd, serve, "--threads", "server.threads", "I/O threads (0: one per core)");
    add_setting_flag(cmd, serve, "--web-root", "server.web_root", "The web app's built files");
    add_setting_flag(cmd, serve, "--elm-bundle", "server.elm_bundle",
                     "Path of the Elm editor's kompost.js");
    add_setting_flag(cmd, serve, "--log-format", "server.log_format", "json or text");
}

void add_server_commands(CLI::App& app, Flags& f) {
    auto* serve = app.add_subcommand(
        "serve", "Run the platform: REST API, live events, Elm editor API, web app, workers");
    add_serve_flags(serve, f.settings);
    auto* config = app.add_subcommand(
        "config", "Print the settings serve would use, and where each came from");
    add_serve_flags(config, f.settings);
}

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
    add_store_flags(render, f.settings);

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
    add_workflow_commands(app, f);
    add_server_commands(app, f);
    add_account_commands(app, f.accounts, f.settings, add_store_flags);
    add_assistant_commands(app, f.assistant, f.settings, add_store_flags);
    add_analysis_commands(app, f.analyze, f.automatic);
    add_store_flags(app.get_subcommand("auto"), f.settings);
}

int dispatch(const CLI::App& app, const Flags& f, const SignalWatcher& signals) {
    const auto& s = f.settings;
    if (app.got_subcommand("render")) return run_render_through_engine(s, f.render, signals);
    if (app.got_subcommand("submit")) return run_submit(s, f.submit);
    if (app.got_subcommand("status")) return run_status(s, f.status, signals);
    if (app.got_subcommand("cancel")) return run_cancel(s, f.cancel_id);
    if (app.got_subcommand("worker")) return run_worker(s, f.worker, signals);
    if (app.got_subcommand("gc")) return run_gc(s, f.gc);
    if (app.got_subcommand("serve")) return run_serve(s, signals);
    if (app.got_subcommand("config")) return run_config(s);
    if (auto code = run_account_command(app, f.accounts, s)) return *code;
    if (auto code = run_assistant_command(app, f.assistant, s)) return *code;
    if (auto code = run_analysis_command(app, f.analyze, f.automatic, s, signals)) return *code;
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
    app.set_version_flag("--version", std::string("kompo ") + KOMPO_VERSION);
    app.require_subcommand(1);
    // A flag given twice takes its last value (scripts append overrides to defaults).
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
    Flags flags;
    add_commands(app, flags);
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
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
