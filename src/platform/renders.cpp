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
    const auto document = Documents(platform_.tenant_store).get(tenant, start.komposition_id);
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
    if (start.storage_left) {
        request.remote_max_bytes =
            std::min(request.remote_max_bytes, std::max<std::int64_t>(0, *start.storage_left));
    }
    request.remote_timeout_seconds = platform_.remote_sources.timeout_seconds;
    // Keys are the client's; one tenant's key never finds another tenant's render.
    const auto key = start.idempotency_key.empty() ? "" : tenant + ":" + start.idempotency_key;
    return platform_.engine.submit(request, key);
}

bool owned_by(const workflow::Execution& execution, const std::string& tenant) {
    return !tenant.empty() && execution.tenant == tenant;
}

std::optional<workflow::Snapshot> Renders::get(const std::string& tenant, const std::string& id) {
    auto snapshot = platform_.engine.snapshot(id);
    if (!snapshot || !owned_by(snapshot->execution, tenant)) return std::nullopt;
    return snapshot;
}

std::shared_ptr<const std::string> Renders::status(
    const std::string& tenant, const std::string& id, RenderStatusCache& cache,
    const std::function<std::string(const workflow::Snapshot&)>& show) {
    std::shared_ptr<const std::string> cached;
    std::optional<workflow::Snapshot> snapshot;
    std::int64_t seq = 0;
    // One read transaction: what is shown and the seq it is kept under are of the same
    // moment, and the steps are read only when the cache has not got that moment.
    platform_.workflow_store.read([&](workflow::WorkflowRows& tx) {
        cached.reset();
        snapshot.reset();
        auto execution = tx.execution(id);
        if (!execution || !owned_by(*execution, tenant)) return;
        seq = tx.last_event_seq(id);
        cached = cache.find(id, seq);
        if (!cached) snapshot = workflow::Snapshot{std::move(*execution), tx.steps_of(id)};
    });
    if (cached || !snapshot) return cached;
    auto shown = std::make_shared<const std::string>(show(*snapshot));
    cache.put(id, seq, shown);
    return shown;
}

bool Renders::owned(const std::string& tenant, const std::string& id) {
    std::optional<workflow::Execution> execution;
    platform_.workflow_store.read(
        [&](workflow::WorkflowRows& tx) { execution = tx.execution(id); });
    return execution && owned_by(*execution, tenant);
}

std::vector<workflow::Execution> Renders::list(const std::string& tenant,
                                               workflow::ExecutionQuery query) {
    // An empty tenant would mean every tenant's renders: never for a tenant's request.
    if (tenant.empty()) throw Error::internal("Renders::list: no tenant");
    query.tenant = tenant;
    std::vector<workflow::Execution> found;
    platform_.workflow_store.read(
        [&](workflow::WorkflowRows& tx) { found = tx.executions(query); });
    return found;
}

std::optional<std::vector<workflow::Event>> Renders::history(const std::string& tenant,
                                                             const std::string& id,
                                                             std::int64_t after,
                                                             std::size_t limit) {
    if (!owned(tenant, id)) return std::nullopt;
    return platform_.engine.events(id, after, limit);
}

std::optional<bool> Renders::cancel(const std::string& tenant, const std::string& id) {
    if (!owned(tenant, id)) return std::nullopt;
    return platform_.engine.cancel(id);
}

std::optional<fs::path> Renders::output(const workflow::Snapshot& render) {
    if (render.execution.state != workflow::ExecutionState::succeeded) return std::nullopt;
    const auto result = nlohmann::json::parse(render.execution.result, nullptr, false);
    if (!result.is_object() || !result.contains("artifact")) return std::nullopt;
    fs::path artifact = result["artifact"].get<std::string>();
    std::error_code ec;
    if (!fs::is_regular_file(artifact, ec)) return std::nullopt;
    return artifact;
}

std::vector<workflow::Event> Renders::feed(std::int64_t after_id, std::size_t limit) {
    std::vector<workflow::Event> events;
    platform_.workflow_store.read(
        [&](workflow::WorkflowRows& tx) { events = tx.events_after(after_id, limit); });
    return events;
}

std::vector<workflow::Event> Renders::tenant_feed(const std::string& tenant, std::int64_t after_id,
                                                  std::size_t limit) {
    if (tenant.empty()) throw Error::internal("Renders::tenant_feed: no tenant");
    std::vector<workflow::Event> events;
    platform_.workflow_store.read([&](workflow::WorkflowRows& tx) {
        events = tx.tenant_events_after(tenant, after_id, limit);
    });
    return events;
}

std::int64_t Renders::feed_position() {
    std::int64_t id = 0;
    platform_.workflow_store.read([&](workflow::WorkflowRows& tx) { id = tx.last_event_id(); });
    return id;
}

}  // namespace kompo::platform
