#include "cli/web_app.hpp"

#include "core/error.hpp"

namespace kompo::cli {

namespace fs = std::filesystem;

namespace {

bool has_index(const fs::path& folder) {
    std::error_code ec;
    return fs::is_regular_file(folder / "index.html", ec);
}

// How the one who set server.web_root would recognise where they did.
std::string layer_of(const platform::LoadedConfig& loaded) {
    const auto origin = loaded.origins.find("server.web_root");
    if (origin == loaded.origins.end()) return "defaults";
    switch (origin->second) {
        case platform::ConfigOrigin::flag:
            return "--web-root";
        case platform::ConfigOrigin::environment:
            return "KOMPO_SERVER_WEB_ROOT";
        case platform::ConfigOrigin::file:
            return loaded.file;
        case platform::ConfigOrigin::defaults:
            break;
    }
    return "defaults";
}

}  // namespace

std::vector<fs::path> web_app_places(const fs::path& executable) {
    if (executable.empty()) return {};
    const auto dir = executable.parent_path();
    return {dir / "web", (dir / KOMPO_INSTALLED_WEB_APP).lexically_normal(),
            (dir / ".." / ".." / ".." / ".." / "web" / "dist").lexically_normal()};
}

WebApp choose_web_app(const platform::LoadedConfig& loaded, const fs::path& executable) {
    WebApp app;
    const auto& configured = loaded.config.server.web_root;
    if (configured == kNoWebApp) {
        app.configured = true;
        return app;
    }
    if (!configured.empty()) {
        std::error_code ec;
        if (!fs::is_directory(configured, ec)) {
            throw Error::invalid("server.web_root (" + layer_of(loaded) + "): " + configured +
                                 ": no such folder (the web app's built files, e.g. web/dist)");
        }
        app.root = fs::path(configured);
        app.configured = true;
        return app;
    }
    app.looked = web_app_places(executable);
    for (const auto& place : app.looked) {
        if (has_index(place)) {
            app.root = place;
            break;
        }
    }
    return app;
}

fs::path running_executable() {
    std::error_code ec;
    auto path = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::path() : path;
}

}  // namespace kompo::cli
