#pragma once
// What the commands that touch state share: the data folder, the store, the artifact
// files and the engine over them.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "platform/config.hpp"
#include "store/artifact_files.hpp"
#include "store/store.hpp"
#include "workflow/engine.hpp"

namespace kompo::platform {

struct Platform {
    std::filesystem::path data_dir;
    std::unique_ptr<store::Store> store;
    store::ArtifactFiles artifacts;
    workflow::Engine engine;
    std::int64_t cache_max_bytes;
    // What server renders do with http(s) sources (the server's sources.* settings).
    struct RemoteSources {
        bool fetch = false;
        std::int64_t max_bytes = 0;
        double timeout_seconds = 0;
    } remote_sources;

    Platform(std::filesystem::path dir, std::unique_ptr<store::Store> s, std::int64_t max_bytes);
};

// The data folder (config.data_dir; empty: $XDG_DATA_HOME/kompo, else
// ~/.local/share/kompo), the store (config.store; empty: sqlite:DATA_DIR/kompo.db), the
// cache limit and what server renders do with remote sources, from one Config.
std::unique_ptr<Platform> open_platform(const Config& config);

// "20G", "512M", "1000000": bytes. Throws Error(invalid_input) naming `setting`.
std::int64_t parse_size(const std::string& text, const std::string& setting = "cache_size");

}  // namespace kompo::platform
