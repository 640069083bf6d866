#include "platform/platform.hpp"

#include <cstdlib>

#include "core/error.hpp"
#include "platform/reads_together.hpp"
#include "store/store.hpp"

namespace kompo::platform {

namespace fs = std::filesystem;

namespace {

// KOMPO_DATA_DIR is the data_dir setting's environment variable (config.hpp).
fs::path data_dir_of(const Config& config) {
    if (!config.data_dir.empty()) return fs::absolute(config.data_dir);
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg) return fs::path(xdg) / "kompo";
    const char* home = std::getenv("HOME");
    if (!home || !*home) {
        throw Error::invalid("--data-dir: not given, and neither KOMPO_DATA_DIR nor HOME is set");
    }
    return fs::path(home) / ".local" / "share" / "kompo";
}

}  // namespace

Platform::Platform(fs::path dir, std::unique_ptr<store::Store> s, std::int64_t max_bytes)
    : data_dir(std::move(dir)),
      store(std::move(s)),
      workflow_store(*store),
      account_store(*store),
      tenant_store(*store),
      changes(store->changes()),
      artifacts(data_dir / "artifacts"),
      engine(workflow_store, artifacts),
      cache_max_bytes(max_bytes) {}

Platform::~Platform() = default;

std::string Platform::store_url() const {
    return store->url();
}

std::unique_ptr<Platform> open_platform(const Config& config) {
    const auto dir = data_dir_of(config);
    const auto cache_max_bytes = parse_size(config.cache_size);
    const auto& sources = config.sources;
    if (sources.remote != "off" && sources.remote != "fetch") {
        throw Error::invalid("sources.remote: \"" + sources.remote + "\" is not off or fetch");
    }
    if (sources.remote_timeout_seconds <= 0) {
        throw Error::invalid("sources.remote_timeout_seconds: must be more than 0");
    }
    const Platform::RemoteSources remote{sources.remote == "fetch",
                                         parse_size(sources.remote_max, "sources.remote_max"),
                                         sources.remote_timeout_seconds};
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error::io("--data-dir " + dir.string() + ": cannot create: " + ec.message());
    const auto url = config.store.empty() ? "sqlite:" + (dir / "kompo.db").string() : config.store;
    auto platform = std::make_unique<Platform>(dir, store::open_store(url), cache_max_bytes);
    platform->remote_sources = remote;
    platform->prices = config.fleet;
    return platform;
}

std::int64_t parse_size(const std::string& text, const std::string& setting) {
    std::size_t used = 0;
    double number = 0;
    try {
        number = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    double scale = 0;
    if (unit.empty() || unit == "B") scale = 1;
    if (unit == "K" || unit == "KB") scale = 1e3;
    if (unit == "M" || unit == "MB") scale = 1e6;
    if (unit == "G" || unit == "GB") scale = 1e9;
    if (unit == "T" || unit == "TB") scale = 1e12;
    if (used == 0 || scale == 0 || number < 0) {
        throw Error::invalid(setting + ": \"" + text + "\" is not a size (e.g. 20G, 512M)");
    }
    return static_cast<std::int64_t>(number * scale);
}

ReadsTogether::ReadsTogether(Platform& platform) : scope_(platform.store->read_together()) {}

ReadsTogether::~ReadsTogether() = default;

}  // namespace kompo::platform
