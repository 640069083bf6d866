#include "cli/serve_command.hpp"

#include <cstdio>
#include <thread>

#include "cli/exit_codes.hpp"
#include "platform/config.hpp"
#include "platform/platform.hpp"
#include "server/server.hpp"
#include "worker/worker.hpp"

namespace kompo::cli {

namespace {

using std::chrono::milliseconds;

Millis millis_of(double seconds) {
    return static_cast<Millis>(seconds * 1000.0);
}

std::unique_ptr<platform::Platform> open_configured_platform(const platform::Config& config) {
    const auto& sources = config.sources;
    if (sources.remote != "off" && sources.remote != "fetch") {
        throw Error::invalid("sources.remote: \"" + sources.remote + "\" is not off or fetch");
    }
    if (sources.remote_timeout_seconds <= 0) {
        throw Error::invalid("sources.remote_timeout_seconds: must be more than 0");
    }
    auto platform = platform::open_platform(
        platform::StoreFlags{config.store, config.data_dir, config.cache_size});
    std::int64_t remote_max = 0;
    try {
        remote_max = platform::parse_size(sources.remote_max);
    } catch (const Error&) {
        throw Error::invalid("sources.remote_max: \"" + sources.remote_max +
                             "\" is not a size (e.g. 2G, 512M)");
    }
    platform->remote_sources = {sources.remote == "fetch", remote_max,
                                sources.remote_timeout_seconds};
    return platform;
}

std::unique_ptr<worker::Worker> start_workers(platform::Platform& platform,
                                              const platform::Config& config) {
    const int count = config.workers.count < 0
                          ? static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))
                          : config.workers.count;
    if (count == 0) return nullptr;
    worker::WorkerOptions options;
    options.concurrency = count;
    options.threads_per_step = config.workers.threads_per_step;
    options.lease = millis_of(config.workers.lease_seconds);
    options.checkpoint_interval = millis_of(config.workers.checkpoint_interval_seconds);
    options.chunk_seconds = config.workers.chunk_seconds;
    options.cache_max_bytes = platform.cache_max_bytes;
    if (const char* faults = std::getenv("KOMPO_TEST_FAIL_STEPS")) {
        options.injected_failures = worker::parse_injected_failures(faults);
    }
    auto pool = std::make_unique<worker::Worker>(platform.engine, options);
    pool->start();
    return pool;
}

}  // namespace

int run_serve(const ServeFlags& flags, const SignalWatcher& signals) {
    const auto loaded = platform::load_config(flags.config_file, flags.given);
    const auto& config = loaded.config;
    auto platform = open_configured_platform(config);
    server::Log log(config.server.log_format);
    server::Server server(*platform, config, log);
    server.start();
    auto workers = start_workers(*platform, config);
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

int run_config(const ServeFlags& flags) {
    const auto loaded = platform::load_config(flags.config_file, flags.given);
    std::printf("%s\n", platform::config_json(loaded).dump(2).c_str());
    return kOk;
}

}  // namespace kompo::cli
