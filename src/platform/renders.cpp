#include "platform/renders.hpp"

#include <nlohmann/json.hpp>

#include "komposition/komposition.hpp"
#include "platform/documents.hpp"

namespace kompo::platform {

namespace fs = std::filesystem;

fs::path media_folder(const Platform& platform, const std::string& tenant) {
    return platform.data_dir / "media" / tenant;
}

std::optional<std::string> Renders::start(const std::string& tenant, const RenderStart& start) {
    const auto document = Documents(*platform_.store).get(tenant, start.komposition_id);
    if (!document || document->type != "Komposition") return std::nullopt;
    auto komposition = komp::parse(document->body, "komposition " + document->id);
    komp::validate(komposition);
    workflow::RenderRequest request;
    request.komposition = komp::to_canonical_text(komposition, -1);
    request.media_root = media_folder(platform_, tenant).string();
    request.range = start.range;
    request.tenant = tenant;
    request.komposition_id = document->id;
    request.remote_fetch = platform_.remote_sources.fetch;
    request.remote_max_bytes = platform_.remote_sources.max_bytes;
    request.remote_timeout_seconds = platform_.remote_sources.timeout_seconds;
    // Keys are the client's; one tenant's key never finds another tenant's render.
    const auto key = start.idempotency_key.empty() ? "" : tenant + ":" + start.idempotency_key;
    return platform_.engine.submit(request, key);
}

std::optional<workflow::Snapshot> Renders::get(const std::string& tenant, const std::string& id) {
    auto snapshot = platform_.engine.snapshot(id);
    if (!snapshot || snapshot->execution.tenant != tenant) return std::nullopt;
    return snapshot;
}

std::vector<store::Execution> Renders::list(const std::string& tenant,
                                            store::ExecutionQuery query) {
    // An empty tenant would mean every tenant's renders: never for a tenant's request.
    if (tenant.empty()) throw Error::internal("Renders::list: no tenant");
    query.tenant = tenant;
    std::vector<store::Execution> found;
    platform_.store->read([&](store::Transaction& tx) { found = tx.executions(query); });
    return found;
}

bool Renders::owns(const std::string& tenant, const std::string& id) {
    std::optional<store::Execution> execution;
    platform_.store->read([&](store::Transaction& tx) { execution = tx.execution(id); });
    return execution && execution->tenant == tenant;
}

std::optional<std::vector<store::Event>> Renders::history(const std::string& tenant,
                                                          const std::string& id,
                                                          std::int64_t after) {
    if (!owns(tenant, id)) return std::nullopt;
    return platform_.engine.events(id, after);
}

std::optional<bool> Renders::cancel(const std::string& tenant, const std::string& id) {
    if (!owns(tenant, id)) return std::nullopt;
    return platform_.engine.cancel(id);
}

std::optional<fs::path> Renders::output(const workflow::Snapshot& render) {
    if (render.execution.state != store::ExecutionState::succeeded) return std::nullopt;
    const auto result = nlohmann::json::parse(render.execution.result, nullptr, false);
    if (!result.is_object() || !result.contains("artifact")) return std::nullopt;
    fs::path artifact = result["artifact"].get<std::string>();
    std::error_code ec;
    if (!fs::is_regular_file(artifact, ec)) return std::nullopt;
    return artifact;
}

}  // namespace kompo::platform
