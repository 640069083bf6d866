// The web app's built files (server.web_root) and the page that hosts the existing Elm
// editor (server.elm_bundle), per ../shared/docs/elm-editor-api.md.
#include <filesystem>

#include "server/file_reply.hpp"
#include "server/routes.hpp"

namespace kompo::server {

namespace {

namespace fs = std::filesystem;

// The token reaches the page in the URL fragment (#token=...), which browsers never send
// to a server: the page itself holds no secret.
constexpr const char* kElmPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kompost — Elm editor</title>
<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@4.6.2/dist/css/bootstrap.min.css">
</head><body><div id="kompost"></div>
<script src="/elm-editor/kompost.js"></script>
<script src="/elm-editor/start.js"></script></body></html>
)html";

// A file, not an inline script: the Content-Security-Policy allows scripts from the
// platform itself only.
constexpr const char* kElmStart =
    R"js(var token = new URLSearchParams(location.hash.slice(1)).get("token") || "";
Elm.Main.init({ node: document.getElementById("kompost"), flags: token });
)js";

constexpr const char* kElmMissing = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Kompost — Elm editor</title></head>
<body><h1>The Elm editor is not enabled</h1>
<p>Start the server with <code>--elm-bundle PATH/kompost.js</code> (or the setting
<code>server.elm_bundle</code> / <code>KOMPO_SERVER_ELM_BUNDLE</code>) to offer it here.</p>
</body></html>
)html";

bool under_an_api(const std::string& relative) {
    for (const char* prefix : {"api/", "heap/", "kvaern/", "meta/", "fetch/"}) {
        if (relative.rfind(prefix, 0) == 0) return true;
    }
    return false;
}

// A file under `root`, never outside it; the app's index.html for paths it routes itself.
Reply static_file(const fs::path& root, const Request& request, const std::string& relative) {
    const fs::path wanted = fs::path(relative).lexically_normal();
    const bool escapes = wanted.is_absolute() || wanted.empty() || *wanted.begin() == "..";
    std::error_code ec;
    auto file = escapes ? fs::path() : fs::weakly_canonical(root / wanted, ec);
    const auto canonical_root = fs::weakly_canonical(root, ec);
    const auto inside =
        !escapes && !ec &&
        std::mismatch(canonical_root.begin(), canonical_root.end(), file.begin()).first ==
            canonical_root.end();
    if (!inside || !fs::is_regular_file(file, ec)) {
        // Paths without an extension are the app's own routes: its index.html answers.
        // Not under the APIs (/api/ and the Elm editor's): a client asking one of them for
        // what it lacks (an id with an unencoded "/") gets JSON.
        const bool app_route = !wanted.has_extension() && !under_an_api(relative);
        file = app_route ? canonical_root / "index.html" : fs::path();
        if (file.empty() || !fs::is_regular_file(file, ec)) {
            return Reply::error(http::status::not_found, "not_found",
                                request.path + ": no such file");
        }
    }
    auto reply = file_reply(request, file, content_type_of(file));
    const bool hashed = relative.rfind("assets/", 0) == 0;  // Vite's content-hashed names
    reply.header("Cache-Control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    return reply;
}

}  // namespace

void add_static_routes(Router& router, ServiceContext& services) {
    const auto& settings = services.config.server;
    router.add(route(http::verb::get, "/elm-editor/", [&settings](Request&) {
                   const bool enabled = !settings.elm_bundle.empty();
                   return Reply::text(enabled ? http::status::ok : http::status::not_found,
                                      enabled ? kElmPage : kElmMissing, "text/html; charset=utf-8");
               }).needs(auth::Permission::none));
    router.add(route(http::verb::get, "/elm-editor/kompost.js", [&settings](Request& request) {
                   if (settings.elm_bundle.empty()) {
                       return Reply::error(http::status::not_found, "not_enabled",
                                           "the Elm editor is not enabled (server.elm_bundle)");
                   }
                   return file_reply(request, settings.elm_bundle,
                                     "text/javascript; charset=utf-8");
               }).needs(auth::Permission::none));
    router.add(route(http::verb::get, "/elm-editor/start.js", [](Request&) {
                   return Reply::text(http::status::ok, kElmStart,
                                      "text/javascript; charset=utf-8");
               }).needs(auth::Permission::none));
    if (settings.web_root.empty()) return;
    const fs::path root = settings.web_root;
    auto index = route(http::verb::get, "/",
                       [root](Request& r) { return static_file(root, r, "index.html"); });
    index.documented = false;
    index.permission = auth::Permission::none;
    router.add(std::move(index));
    auto files = route(http::verb::get, "/{path...}",
                       [root](Request& r) { return static_file(root, r, r.params["path"]); });
    files.documented = false;
    files.permission = auth::Permission::none;
    router.add(std::move(files));
}

}  // namespace kompo::server
