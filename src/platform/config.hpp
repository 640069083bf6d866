#pragma once
// The platform's configuration: one typed struct, filled from defaults < file <
// environment < flags. Every setting has one key ("server.port"), one environment
// variable (KOMPO_SERVER_PORT) and one line of help; `kompo config` prints the result.
// Every command that touches state (serve, worker, render, submit, status, cancel, gc,
// user, token, audit, quota) reads this one Config; each default is written once, here
// or in the settings struct of the module that owns it.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "worker/settings.hpp"
#include "workflow/cost.hpp"

namespace kompo::platform {

struct ServerSettings {
    std::string host = "127.0.0.1";
    int port = 8080;
    int threads = 0;  // 0: one per core
    std::int64_t max_header_bytes = 16 * 1024;
    std::int64_t max_body_bytes = 4 * 1024 * 1024;             // JSON bodies
    std::int64_t max_upload_bytes = 8LL * 1024 * 1024 * 1024;  // one medium
    double request_timeout_seconds = 30;  // to receive a whole request (uploads: per MiB below)
    double upload_seconds_per_mib = 10;   // an upload may take this much longer per MiB
    double idle_timeout_seconds = 60;     // a keep-alive connection with no request
    double shutdown_grace_seconds = 25;   // running requests may finish within this
    int max_connections = 4096;
    std::string web_root;             // the web app's built files; empty: none served
    std::string elm_bundle;           // path of the Elm editor's kompost.js; empty: not offered
    std::string log_format = "json";  // json or text
    std::string trusted_proxies;      // addresses/networks whose X-Forwarded-For is believed
};

// workers.*: how workers run, defaults in worker/settings.hpp.
using worker::WorkerSettings;

// fleet.*: what a worker slot costs per hour, by class (cost accounting, workflow/cost.hpp).
using workflow::FleetPrices;

struct AuthSettings {
    double session_hours = 168;  // a browser session lasts a week
    int lockout_after_failures = 5;
    double lockout_first_seconds = 30;  // doubles with each further failure
    double lockout_max_seconds = 900;
    double login_per_minute = 10;         // login attempts per client address
    double api_per_second = 50;           // requests per user (bursts of 4 seconds' worth)
    std::string secure_cookies = "auto";  // auto: when X-Forwarded-Proto is https; always; never
    std::string oidc_issuer;              // single sign-on; empty: off
    std::string oidc_audience;
    std::string oidc_jwks;  // JWKS file path or https URL
    int oidc_clock_skew_seconds = 60;
};

// Each tenant's limits, unless `kompo quota set` gave it its own.
struct QuotaSettings {
    std::string storage = "50G";  // media bytes
    int concurrent_renders = 20;  // queued or running at once
    int renders_per_day = 1000;
    std::string upload = "8G";  // one medium
    int producer_factor = 4;    // producers may run this many times the renders
};

// Sources of server renders that are http(s) urls.
struct SourceSettings {
    std::string remote = "off";  // off: refused; fetch: fetched from public addresses only
    std::string remote_max = "2G";
    double remote_timeout_seconds = 120;
};

// Media analyses (tempo, beats, shot changes) of new uploads, made in the background.
struct AnalysisSettings {
    int concurrency = 1;  // analyses at once; 0: none on upload, only when asked for
};

struct Config {
    std::string data_dir;  // empty: $KOMPO_DATA_DIR, else XDG_DATA_HOME/kompo, else ~/.local/...
    std::string store;     // empty: sqlite:DATA_DIR/kompo.db
    std::string cache_size = "20G";
    ServerSettings server;
    WorkerSettings workers;
    FleetPrices fleet;
    AuthSettings auth;
    QuotaSettings quotas;
    SourceSettings sources;
    AnalysisSettings analysis;
};

// Where each value came from, for `kompo config`.
enum class ConfigOrigin { defaults, file, environment, flag };

struct LoadedConfig {
    Config config;
    std::map<std::string, ConfigOrigin> origins;  // key → layer that set it last
    std::string file;                             // the file read; empty: none
};

// Layers, lowest first: defaults, the JSON file `file` (a flat or nested object of keys;
// empty: $KOMPO_CONFIG, else none), environment variables KOMPO_<KEY>, then `flags`
// (key → text, as given on the command line). Throws Error(invalid_input) naming the key
// and the layer ("server.port (KOMPO_SERVER_PORT): \"x\" is not an integer"), or the file.
LoadedConfig load_config(const std::string& file, const std::map<std::string, std::string>& flags);

// Every key with its value and origin, as `kompo config` prints it.
nlohmann::ordered_json config_json(const LoadedConfig& loaded);

// The keys, in order, with their environment variable and help.
struct ConfigKey {
    std::string key;
    std::string environment;
    std::string help;
};
std::vector<ConfigKey> config_keys();

}  // namespace kompo::platform
