#include "cli/serve_command.hpp"

#include <cstdio>

#include "cli/exit_codes.hpp"
#include "cli/web_app.hpp"
#include "cli/workflow_commands.hpp"
#include "core/usable_cores.hpp"
#include "platform/config.hpp"
#include "platform/platform.hpp"
#include "server/server.hpp"
#include "worker/worker.hpp"

namespace kompo::cli {

namespace {

using std::chrono::milliseconds;

std::unique_ptr<worker::Worker> start_workers(platform::Platform& platform,
                                              const platform::Config& config, server::Log& log) {
    const int count = config.workers.count < 0 ? usable_cores() : config.workers.count;
    if (count == 0) return nullptr;
    auto options = worker_options(platform, config);
    options.slots = count;
    options.log = &log;
    auto pool = std::make_unique<worker::Worker>(platform.engine, options);
    pool->start();
    return pool;
}

// One line on what `/` serves: the app found, or where none was and how to name one.
void log_web_app(server::Log& log, const WebApp& app) {
    if (app.root) {
        log.info("web app", {{"web_root", app.root->string()},
                             {"from", app.configured ? "server.web_root" : "found"}});
        return;
    }
    if (app.configured) {
        log.info("web app", {{"web_root", kNoWebApp}});
        return;
    }
    std::string places;
    auto looked = nlohmann::json::array();
    for (const auto& place : app.looked) {
        places += (places.empty() ? "" : ", ") + place.string();
        looked.push_back(place.string());
    }
    log.warn("no web app found (looked in " + places +
                 "): serving the API only; set --web-root or server.web_root to the app's "
                 "built files (make web builds web/dist)",
             {{"looked_in", looked}});
}

}  // namespace

int run_serve(const SettingFlags& flags, const SignalWatcher& signals) {
    const auto loaded = load_settings(flags);
    const auto web_app = choose_web_app(loaded, running_executable());
    auto config = loaded.config;
    if (web_app.root) config.server.web_root = web_app.root->string();
    auto platform = platform::open_platform(config);
    server::Log log(config.server.log_format);
    log_web_app(log, web_app);
    server::Server server(*platform, config, log);
    server.start();
    auto workers = start_workers(*platform, config, log);
    log.info("workers", {{"in_process_slots", workers ? config.workers.count : 0}});
    while (signals.wait(0, milliseconds(60'000)) == 0) {
    }
    log.info("shutting down", {{"signal", true}});
    server.shut_down();
    if (workers) {
        // The same hand-back as `kompo worker` on SIGTERM: checkpoint, release, exit.
        workers->preempt();
        while (!workers->wait_finished(milliseconds(100))) {
            if (signals.count() > 1) workers->stop();
        }
        workers->join();
    }
    return kOk;
}

int run_config(const SettingFlags& flags) {
    const auto loaded = load_settings(flags);
    std::printf("%s\n", platform::config_json(loaded).dump(2).c_str());
    return kOk;
}

}  // namespace kompo::cli
