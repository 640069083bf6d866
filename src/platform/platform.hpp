#pragma once
// What the commands that touch state share: the data folder, the store, the artifact
// files and the engine over them.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "auth/rows.hpp"
#include "core/change_signal.hpp"
#include "platform/config.hpp"
#include "platform/rows.hpp"
#include "workflow/artifact_files.hpp"
#include "workflow/engine.hpp"

namespace kompo::store {
class Store;
}

namespace kompo::platform {

struct Platform {
    std::filesystem::path data_dir;
    // The store backend, opaque here: each module reaches only its own rows, below.
    std::unique_ptr<store::Store> store;
    workflow::WorkflowStore& workflow_store;
    auth::AccountStore& account_store;
    TenantStore& tenant_store;
    // Hints that other processes changed the store (PostgreSQL's NOTIFY; none on SQLite):
    // what the live feeds and idle workers wait on between their polls.
    ChangeSignal& changes;
    workflow::ArtifactFiles artifacts;
    workflow::Engine engine;
    std::int64_t cache_max_bytes;
    // What server renders do with http(s) sources (the server's sources.* settings).
    struct RemoteSources {
        bool fetch = false;
        std::int64_t max_bytes = 0;
        double timeout_seconds = 0;
    } remote_sources;
    workflow::FleetPrices prices;  // a worker slot's hour by class (fleet.price_per_hour.*)

    Platform(std::filesystem::path dir, std::unique_ptr<store::Store> s, std::int64_t max_bytes);
    ~Platform();
    Platform(const Platform&) = delete;
    Platform& operator=(const Platform&) = delete;

    std::string store_url() const;  // "sqlite:PATH"
};

// The data folder (config.data_dir; empty: $XDG_DATA_HOME/kompo, else
// ~/.local/share/kompo), the store (config.store; empty: sqlite:DATA_DIR/kompo.db), the
// cache limit and what server renders do with remote sources, from one Config.
std::unique_ptr<Platform> open_platform(const Config& config);

// "20G", "512M", "1000000": bytes. Throws Error(invalid_input) naming `setting`.
std::int64_t parse_size(const std::string& text, const std::string& setting = "cache_size");

}  // namespace kompo::platform
