#pragma once
// Which web app `kompo serve` serves at `/`: server.web_root when it is set (a folder
// that must exist; "none": no app, the API alone), else the first built app found where a
// build or an install puts it, relative to the kompo binary.
#include <filesystem>
#include <optional>
#include <vector>

#include "platform/config.hpp"

namespace kompo::cli {

// server.web_root's value for serving no web app, whatever is installed.
inline constexpr const char* kNoWebApp = "none";

// Where a built app (a folder with index.html) is looked for, in order, for the binary at
// `executable`: beside it (`web/`), in its install prefix (`../share/kompost/web`, where
// `cmake --install` puts it: KOMPO_INSTALLED_WEB_APP, src/cli/CMakeLists.txt), and in
// the source tree of the build it was made in (`<repo>/web/dist` for
// `<repo>/build/<preset>/src/cli/kompo`).
std::vector<std::filesystem::path> web_app_places(const std::filesystem::path& executable);

struct WebApp {
    std::optional<std::filesystem::path> root;  // nullopt: none, the API alone
    bool configured = false;                    // server.web_root said so (or said none)
    std::vector<std::filesystem::path> looked;  // the places tried when not configured
};

// The app to serve. Throws Error(invalid_input) naming server.web_root and the layer that
// set it when that folder does not exist.
WebApp choose_web_app(const platform::LoadedConfig& loaded,
                      const std::filesystem::path& executable);

// This process's binary (/proc/self/exe); empty when it cannot be read.
std::filesystem::path running_executable();

}  // namespace kompo::cli
