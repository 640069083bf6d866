#include "cli/serve_command.hpp"

#include <cstdio>
#include <thread>

#include "cli/exit_codes.hpp"
#include "cli/workflow_commands.hpp"
#include "platform/config.hpp"
#include "platform/platform.hpp"
#include "server/server.hpp"
#include "worker/worker.hpp"

namespace kompo::cli {

namespace {

using std::chrono::milliseconds;

std::unique_ptr<worker::Worker> start_workers(platform::Platform& platform,
                                              const platform::Config& config, server::Log& log) {
    const int count = config.workers.count < 0
                          ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))
                          : config.workers.count;
    if (count == 0) return nullptr;
    auto options = worker_options(platform, config);
    options.slots = count;
    options.log = &log;
    auto pool = std::make_unique<worker::Worker>(platform.engine, options);
    pool->start();
    return pool;
}

}  // namespace

int run_serve(const SettingFlags& flags, const SignalWatcher& signals) {
    const auto loaded = load_settings(flags);
    const auto& config = loaded.config;
    auto platform = platform::open_platform(config);
    server::Log log(config.server.log_format);
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
