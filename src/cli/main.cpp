// kompo: render kompositions into beat-exact music videos.
#include <malloc.h>

#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/account_commands.hpp"
#include "cli/assistant_commands.hpp"
#include "cli/analysis_commands.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/serve_command.hpp"
#include "cli/signals.hpp"
#include "cli/workflow_commands.hpp"
#include "core/error.hpp"

namespace {

using namespace kompo::cli;

void add_range_flags(CLI::App* cmd, RangeFlags& range) {
    cmd->add_option("--from-beat", range.from_beat, "First beat to render (inclusive)");
    cmd->add_option("--to-beat", range.to_beat, "Beat to stop at (exclusive)");
}

struct Flags {
    StoreFlags store;
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
    ServeFlags serve;
    AccountFlags accounts;
    AssistantFlags assistant;
    AnalyzeFlags analyze;
    AutoFlags automatic;
};

void add_store_flags(CLI::App* cmd, StoreFlags& store) {
    cmd->add_option("--store", store.store,
                    "State store url, sqlite:PATH (default: sqlite:DATA_DIR/kompo.db)");
    cmd->add_option("--data-dir", store.data_dir,
                    "Folder for the store and cached artifacts (default: $KOMPO_DATA_DIR, "
                    "else ~/.local/share/kompo)");
    cmd->add_option("--cache-size", store.cache_size,
                    "Artifact cache limit, e.g. 20G (least recently used go first)");
}

void add_workflow_commands(CLI::App& app, Flags& f) {
    auto* submit = app.add_subcommand("submit", "Queue a render; prints its execution id");
    submit->add_option("komposition", f.submit.komposition, "Komposition JSON file")->required();
    submit->add_option("-o,--output", f.submit.output, "Where to publish the video (optional)");
    submit->add_option("--media-root", f.submit.media_root, "As for render");
    submit->add_option("--idempotency-key", f.submit.idempotency_key,
                       "Submitting again with the same key returns the same execution");
    add_range_flags(submit, f.submit.range);
    add_store_flags(submit, f.store);

    auto* status = app.add_subcommand("status", "Show an execution and its steps");
    status->add_option("id", f.status.id, "Execution id")->required();
    status->add_flag("--watch", f.status.watch, "Follow it live until it ends");
    status->add_flag("--json", f.status.json, "Print the execution and every step as JSON");
    status->add_flag("--events", f.status.events, "With --json: add the execution's event log");
    add_store_flags(status, f.store);

    auto* cancel = app.add_subcommand("cancel", "Cancel a queued or running execution");
    cancel->add_option("id", f.cancel_id, "Execution id")->required();
    add_store_flags(cancel, f.store);

    auto* worker = app.add_subcommand(
        "worker", "Claim and run steps until SIGTERM (then checkpoint, hand back, exit 0)");
    worker->add_option("--concurrency", f.worker.concurrency, "Steps at a time")
        ->check(CLI::Range(1, 256));
    worker->add_option("--class", f.worker.worker_class, "preemptible or regular")
        ->check(CLI::IsMember({"preemptible", "regular"}));
    worker->add_option("--threads-per-step", f.worker.threads_per_step, "Codec threads per step")
        ->check(CLI::Range(1, 64));
    worker->add_option("--lease", f.worker.lease_seconds, "Lease in seconds")
        ->check(CLI::Range(0.1, 3600.0));
    worker
        ->add_option("--checkpoint-interval", f.worker.checkpoint_seconds,
                     "Seconds between checkpoints of a running segment")
        ->check(CLI::Range(0.1, 3600.0));
    worker->add_option("--grace", f.worker.grace_seconds, "Seconds to hand back on SIGTERM")
        ->check(CLI::Range(0.0, 3600.0));
    worker
        ->add_option("--chunk-seconds", f.worker.chunk_seconds,
                     "Planning: segments longer than this are split into chunks")
        ->check(CLI::Range(0.1, 3600.0));
    worker->add_option("--id", f.worker.id, "Worker id (default: host-pid-random)");
    add_store_flags(worker, f.store);

    auto* gc = app.add_subcommand("gc", "Evict cached artifacts down to the cache limit");
    gc->add_option("--max-size", f.gc.max_size, "Evict down to this size (default: --cache-size)");
    add_store_flags(gc, f.store);
}

// Each flag sets one configuration key; only flags that were given override the file and
// the environment.
void add_setting_flag(CLI::App* cmd, ServeFlags& serve, const std::string& flag,
                      const std::string& key, const std::string& help) {
    cmd->add_option_function<std::string>(
        flag, [&serve, key](const std::string& value) { serve.given[key] = value; }, help);
}

void add_serve_flags(CLI::App* cmd, ServeFlags& serve) {
    cmd->add_option("--config", serve.config_file, "JSON settings file (default: $KOMPO_CONFIG)");
    add_setting_flag(cmd, serve, "--host", "server.host", "Address to listen on (127.0.0.1)");
    add_setting_flag(cmd, serve, "--port", "server.port", "Port (8080; 0: any free port)");
    add_setting_flag(cmd, serve, "--workers", "workers.count",
                     "In-process worker slots (-1: one per core; 0: only `kompo worker`s)");
    add_setting_flag(cmd, serve, "--threads", "server.threads", "I/O threads (0: one per core)");
    add_setting_flag(cmd, serve, "--data-dir", "data_dir", "Folder of the store, artifacts, media");
    add_setting_flag(cmd, serve, "--store", "store", "State store url (sqlite:PATH)");
    add_setting_flag(cmd, serve, "--cache-size", "cache_size", "Artifact cache limit, e.g. 20G");
    add_setting_flag(cmd, serve, "--web-root", "server.web_root", "The web app's built files");
    add_setting_flag(cmd, serve, "--elm-bundle", "server.elm_bundle",
                     "Path of the Elm editor's kompost.js");
    add_setting_flag(cmd, serve, "--log-format", "server.log_format", "json or text");
}

void add_server_commands(CLI::App& app, Flags& f) {
    auto* serve = app.add_subcommand(
        "serve", "Run the platform: REST API, live events, Elm editor API, web app, workers");
    add_serve_flags(serve, f.serve);
    auto* config = app.add_subcommand(
        "config", "Print the settings serve would use, and where each came from");
    add_serve_flags(config, f.serve);
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
    add_store_flags(render, f.store);

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
    add_account_commands(app, f.accounts, f.store, add_store_flags);
    add_assistant_commands(app, f.assistant, f.store, add_store_flags);
    add_analysis_commands(app, f.analyze, f.automatic);
    add_store_flags(app.get_subcommand("auto"), f.store);
}

int dispatch(const CLI::App& app, const Flags& f, const SignalWatcher& signals) {
    if (app.got_subcommand("render")) return run_render_through_engine(f.store, f.render, signals);
    if (app.got_subcommand("submit")) return run_submit(f.store, f.submit);
    if (app.got_subcommand("status")) return run_status(f.store, f.status, signals);
    if (app.got_subcommand("cancel")) return run_cancel(f.store, f.cancel_id);
    if (app.got_subcommand("worker")) return run_worker(f.store, f.worker, signals);
    if (app.got_subcommand("gc")) return run_gc(f.store, f.gc);
    if (app.got_subcommand("serve")) return run_serve(f.serve, signals);
    if (app.got_subcommand("config")) return run_config(f.serve);
    if (auto code = run_account_command(app, f.accounts, f.store)) return *code;
    if (auto code = run_assistant_command(app, f.assistant, f.store)) return *code;
    if (auto code = run_analysis_command(app, f.analyze, f.automatic, f.store, signals))
        return *code;
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
    // A flag given twice takes its last value (scripts append overrides to defaults).
    app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
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
