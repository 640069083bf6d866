#include "platform/config.hpp"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "core/error.hpp"

namespace kompo::platform {

namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// One setting: how to read it from text (flags, environment) or JSON (file), and show it.
struct Field {
    ConfigKey key;
    std::function<void(Config&, const json&)> set;
    std::function<json(const Config&)> get;
};

std::string environment_name(const std::string& key) {
    std::string name = "KOMPO_";
    for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(c));
    return name;
}

// A field of a nested settings struct, typed by its member pointer.
template <typename Group, typename T>
Field nested(const std::string& key, Group Config::*group, T Group::*member, std::string help) {
    return Field{
        {key, environment_name(key), std::move(help)},
        [group, member](Config& c, const json& value) { (c.*group).*member = value.get<T>(); },
        [group, member](const Config& c) { return json((c.*group).*member); }};
}

template <typename T>
Field top(const std::string& key, T Config::*member, std::string help) {
    return Field{{key, environment_name(key), std::move(help)},
                 [member](Config& c, const json& value) { c.*member = value.get<T>(); },
                 [member](const Config& c) { return json(c.*member); }};
}

const std::vector<Field>& fields() {
    using S = ServerSettings;
    using W = WorkerSettings;
    using A = AuthSettings;
    using Q = QuotaSettings;
    using R = SourceSettings;
    using N = AnalysisSettings;
    using F = FleetPrices;
    static const std::vector<Field> all{
        top("data_dir", &Config::data_dir,
            "folder of the store, artifacts and media (default: $XDG_DATA_HOME/kompo)"),
        top("store", &Config::store,
            "state store url: sqlite:PATH or postgres://USER@HOST/DB (default: "
            "sqlite:DATA_DIR/kompo.db)"),
        top("cache_size", &Config::cache_size, "artifact cache limit, e.g. 20G"),
        nested("server.host", &Config::server, &S::host, "address to listen on"),
        nested("server.port", &Config::server, &S::port, "port to listen on (0: any free one)"),
        nested("server.threads", &Config::server, &S::threads, "I/O threads (0: one per core)"),
        nested("server.max_header_bytes", &Config::server, &S::max_header_bytes,
               "largest request header"),
        nested("server.max_body_bytes", &Config::server, &S::max_body_bytes,
               "largest JSON request body"),
        nested("server.max_upload_bytes", &Config::server, &S::max_upload_bytes,
               "largest uploaded medium"),
        nested("server.request_timeout_seconds", &Config::server, &S::request_timeout_seconds,
               "time to receive a whole request"),
        nested("server.upload_seconds_per_mib", &Config::server, &S::upload_seconds_per_mib,
               "extra time an upload gets per MiB of its Content-Length"),
        nested("server.idle_timeout_seconds", &Config::server, &S::idle_timeout_seconds,
               "a keep-alive connection without a request is closed after this"),
        nested("server.shutdown_grace_seconds", &Config::server, &S::shutdown_grace_seconds,
               "on SIGTERM, running requests may finish within this"),
        nested("server.max_connections", &Config::server, &S::max_connections,
               "open connections at most; more are refused"),
        nested("server.web_root", &Config::server, &S::web_root,
               "folder of the web app's built files (empty: none)"),
        nested("server.elm_bundle", &Config::server, &S::elm_bundle,
               "path of the Elm editor's kompost.js (empty: the Elm editor is not offered)"),
        nested("server.log_format", &Config::server, &S::log_format, "json or text"),
        nested("server.trusted_proxies", &Config::server, &S::trusted_proxies,
               "reverse proxies (addresses, networks: 10.0.0.0/8) whose X-Forwarded-For names "
               "the client; empty: none"),
        nested("workers.count", &Config::workers, &W::count,
               "in-process worker slots (-1: one per core, 0: leave it to `kompo worker`)"),
        nested("workers.concurrency", &Config::workers, &W::concurrency,
               "steps a `kompo worker` process runs at a time"),
        nested("workers.class", &Config::workers, &W::worker_class,
               "a `kompo worker`'s class: regular or preemptible"),
        nested("workers.threads_per_step", &Config::workers, &W::threads_per_step,
               "codec threads of each step"),
        nested("workers.lease_seconds", &Config::workers, &W::lease_seconds,
               "a silent worker loses its steps after this"),
        nested("workers.checkpoint_interval_seconds", &Config::workers,
               &W::checkpoint_interval_seconds, "a running segment saves progress this often"),
        nested("workers.grace_seconds", &Config::workers, &W::grace_seconds,
               "on SIGTERM a worker checkpoints and hands its steps back within this "
               "(default 25, preemptible workers 10)"),
        nested("workers.chunk_seconds", &Config::workers, &W::chunk_seconds,
               "planning: longer segments are cut into chunks of this"),
        nested("workers.wake", &Config::workers, &W::wake,
               "idle workers wake on the store's NOTIFY (notify; PostgreSQL) or only poll (poll)"),
        nested("fleet.price_per_hour.regular", &Config::fleet, &F::regular_per_hour,
               "what a regular worker slot costs per hour (cost accounting)"),
        nested("fleet.price_per_hour.preemptible", &Config::fleet, &F::preemptible_per_hour,
               "what a preemptible worker slot costs per hour (default: 30% of regular's)"),
        nested("auth.session_hours", &Config::auth, &A::session_hours, "a sign-in lasts this long"),
        nested("auth.lockout_after_failures", &Config::auth, &A::lockout_after_failures,
               "failed logins in a row before the account is locked for a while"),
        nested("auth.lockout_first_seconds", &Config::auth, &A::lockout_first_seconds,
               "first lockout; each further failure doubles it"),
        nested("auth.lockout_max_seconds", &Config::auth, &A::lockout_max_seconds,
               "longest lockout"),
        nested("auth.login_per_minute", &Config::auth, &A::login_per_minute,
               "login attempts per client address and minute"),
        nested("auth.api_per_second", &Config::auth, &A::api_per_second,
               "API requests per user and second (bursts of 4 seconds' worth)"),
        nested("auth.secure_cookies", &Config::auth, &A::secure_cookies,
               "Secure cookies: auto (when X-Forwarded-Proto is https), always or never"),
        nested("auth.oidc_issuer", &Config::auth, &A::oidc_issuer,
               "single sign-on: the OpenID Connect issuer (empty: off)"),
        nested("auth.oidc_audience", &Config::auth, &A::oidc_audience,
               "single sign-on: the audience tokens must name"),
        nested("auth.oidc_jwks", &Config::auth, &A::oidc_jwks,
               "single sign-on: the issuer's keys, a JWKS file or https URL"),
        nested("auth.oidc_clock_skew_seconds", &Config::auth, &A::oidc_clock_skew_seconds,
               "single sign-on: tolerance on token times"),
        nested("quotas.storage", &Config::quotas, &Q::storage, "media bytes per tenant, e.g. 50G"),
        nested("quotas.concurrent_renders", &Config::quotas, &Q::concurrent_renders,
               "renders queued or running at once per tenant"),
        nested("quotas.renders_per_day", &Config::quotas, &Q::renders_per_day,
               "renders started per tenant in 24 hours"),
        nested("quotas.upload", &Config::quotas, &Q::upload, "largest upload, e.g. 8G"),
        nested("quotas.producer_factor", &Config::quotas, &Q::producer_factor,
               "producers may run this many times the renders"),
        nested("sources.remote", &Config::sources, &R::remote,
               "http(s) source urls: off (refused) or fetch (from public addresses only)"),
        nested("sources.remote_max", &Config::sources, &R::remote_max,
               "largest remote source fetched, e.g. 2G"),
        nested("sources.remote_timeout_seconds", &Config::sources, &R::remote_timeout_seconds,
               "time a remote source may take to fetch"),
        nested("analysis.concurrency", &Config::analysis, &N::concurrency,
               "uploads analysed at once in the background (0: only when asked for)"),
    };
    return all;
}

const Field* find_field(const std::string& key) {
    for (const auto& f : fields()) {
        if (f.key.key == key) return &f;
    }
    return nullptr;
}

// Text from a flag or the environment, as the JSON value the field expects.
json value_of_text(const json& current, const std::string& text) {
    if (current.is_string()) return text;
    const json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || parsed.is_structured() || parsed.is_string()) {
        throw std::invalid_argument("not a number");
    }
    return parsed;
}

std::string describe(const json& current) {
    if (current.is_number_integer()) return "an integer";
    if (current.is_number()) return "a number";
    return "text";
}

void apply(LoadedConfig& loaded, const Field& f, const json& value, ConfigOrigin origin,
           const std::string& where) {
    const json current = f.get(loaded.config);
    const bool fits = current.is_string() ? value.is_string()
                                          : value.is_number() && (!current.is_number_integer() ||
                                                                  value.is_number_integer());
    if (!fits) {
        throw Error::invalid(f.key.key + " (" + where + "): " + value.dump() + " is not " +
                             describe(current));
    }
    f.set(loaded.config, value);
    loaded.origins[f.key.key] = origin;
}

void apply_text(LoadedConfig& loaded, const Field& f, const std::string& text, ConfigOrigin origin,
                const std::string& where) {
    json value;
    try {
        value = value_of_text(f.get(loaded.config), text);
    } catch (const std::exception&) {
        throw Error::invalid(f.key.key + " (" + where + "): \"" + text + "\" is not " +
                             describe(f.get(loaded.config)));
    }
    apply(loaded, f, value, origin, where);
}

// A nested object {"server": {"port": 1}} and flat keys {"server.port": 1} both work.
void apply_file_object(LoadedConfig& loaded, const json& object, const std::string& prefix) {
    for (const auto& [name, value] : object.items()) {
        const std::string key = prefix.empty() ? name : prefix + "." + name;
        if (value.is_object()) {
            apply_file_object(loaded, value, key);
            continue;
        }
        const Field* f = find_field(key);
        if (!f) throw Error::invalid(loaded.file + ": " + key + ": unknown setting");
        apply(loaded, *f, value, ConfigOrigin::file, loaded.file);
    }
}

void apply_file(LoadedConfig& loaded) {
    std::ifstream in(loaded.file);
    if (!in) throw Error::invalid(loaded.file + ": cannot read the configuration file");
    std::stringstream text;
    text << in.rdbuf();
    const json object = json::parse(text.str(), nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        throw Error::invalid(loaded.file + ": not a JSON object of settings");
    }
    apply_file_object(loaded, object, "");
}

// Values one setting alone cannot check (a name out of a list), and defaults that follow
// another setting: a preemptible worker's grace, unless set.
void apply_class_defaults(LoadedConfig& loaded) {
    auto& workers = loaded.config.workers;
    if (!workflow::worker_class_from(workers.worker_class)) {
        throw Error::invalid("workers.class: \"" + workers.worker_class +
                             "\" is not regular or preemptible");
    }
    const auto& log_format = loaded.config.server.log_format;
    if (log_format != "json" && log_format != "text") {
        throw Error::invalid("server.log_format: \"" + log_format + "\" is not json or text");
    }
    const auto& prices = loaded.config.fleet;
    if (prices.regular_per_hour < 0 || prices.preemptible_per_hour < 0) {
        throw Error::invalid("fleet.price_per_hour: a price is not negative");
    }
    const bool grace_set = loaded.origins.contains("workers.grace_seconds");
    if (workers.worker_class == "preemptible" && !grace_set) {
        workers.grace_seconds = WorkerSettings::kPreemptibleGraceSeconds;
    }
}

const char* origin_name(ConfigOrigin origin) {
    switch (origin) {
        case ConfigOrigin::file:
            return "file";
        case ConfigOrigin::environment:
            return "environment";
        case ConfigOrigin::flag:
            return "flag";
        case ConfigOrigin::defaults:
            break;
    }
    return "default";
}

}  // namespace

LoadedConfig load_config(const std::string& file, const std::map<std::string, std::string>& flags) {
    LoadedConfig loaded;
    loaded.file = file;
    if (loaded.file.empty()) {
        if (const char* env = std::getenv("KOMPO_CONFIG"); env && *env) loaded.file = env;
    }
    if (!loaded.file.empty()) apply_file(loaded);
    for (const auto& f : fields()) {
        if (const char* env = std::getenv(f.key.environment.c_str()); env) {
            apply_text(loaded, f, env, ConfigOrigin::environment, f.key.environment);
        }
    }
    for (const auto& [key, text] : flags) {
        const Field* f = find_field(key);
        if (!f) throw Error::internal("no setting " + key + " for a flag");
        apply_text(loaded, *f, text, ConfigOrigin::flag, "flag");
    }
    apply_class_defaults(loaded);
    return loaded;
}

ordered_json config_json(const LoadedConfig& loaded) {
    ordered_json settings = ordered_json::object();
    for (const auto& f : fields()) {
        const auto origin = loaded.origins.find(f.key.key);
        json value = f.get(loaded.config);
        // A secret is shown as set or not, never printed.
        const bool secret = f.key.key.find("token") != std::string::npos;
        if (secret && !value.get<std::string>().empty()) value = "(set)";
        settings[f.key.key] = {
            {"value", value},
            {"from",
             origin_name(origin == loaded.origins.end() ? ConfigOrigin::defaults : origin->second)},
            {"environment", f.key.environment}};
    }
    return ordered_json{{"file", loaded.file}, {"settings", settings}};
}

std::vector<ConfigKey> config_keys() {
    std::vector<ConfigKey> keys;
    for (const auto& f : fields()) keys.push_back(f.key);
    return keys;
}

}  // namespace kompo::platform
