// The steps that decide what to render: probing the sources, then planning.
#include <sys/stat.h>

#include "core/error.hpp"
#include "komposition/komposition.hpp"
#include "plan/plan.hpp"
#include "render/render.hpp"
#include "worker/steps.hpp"
#include "workflow/artifact_key.hpp"
#include "workflow/piece_json.hpp"
#include "workflow/render_graph.hpp"

namespace kompo::worker::steps {

namespace {

using nlohmann::json;

// Hashing a large source takes seconds: the hash is remembered by path, size and mtime.
std::string content_hash(workflow::WorkflowStore& store, const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Error::media(path + ": file not found");
    const std::int64_t size = st.st_size;
    const std::int64_t mtime = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
    std::optional<std::string> known;
    store.read([&](workflow::WorkflowRows& tx) { known = tx.source_hash(path, size, mtime); });
    if (known) return *known;
    const auto hash = workflow::file_content_hash(path);
    store.write([&](workflow::WorkflowRows& tx) { tx.put_source_hash(path, size, mtime, hash); });
    return hash;
}

}  // namespace

workflow::Outcome probe(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto request = env.jobs.of(claim.execution);
    // A render with a tenant is the server's: it reads that tenant's media folder only.
    const render::SourcePolicy sources{
        request->stored.media_root, !request->stored.tenant.empty(),
        render::RemoteFetch{request->stored.remote_fetch, request->stored.remote_max_bytes,
                            request->stored.remote_timeout_seconds, env.remote_loopback}};
    const auto media = render::probe_for_render(
        request->komposition, render::RenderOptions{request->stored.range, sources});
    json hashes = json::object();
    for (const auto& [id, info] : media) {
        hashes[info.path] = content_hash(env.engine.store(), info.path);
    }
    workflow::Outcome outcome;
    outcome.result = json{{"media", workflow::to_json(media)}, {"hashes", hashes}}.dump();
    return outcome;
}

workflow::Outcome plan(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto request = env.jobs.of(claim.execution);
    const auto probed = json::parse(claim.needed.at(0).result);
    const auto media = workflow::media_by_source_from(probed.at("media"));
    const auto plan =
        plan::make_plan(request->komposition, media, plan::PlanOptions{request->stored.range});
    workflow::SourceHashes hashes;
    for (const auto& [path, hash] : probed.at("hashes").items()) {
        hashes[path] = hash.get<std::string>();
    }
    workflow::Outcome outcome;
    outcome.expansion = workflow::render_graph(
        plan, hashes, workflow::GraphOptions{env.chunk_seconds, request->stored.output});
    outcome.result =
        json{{"warnings", plan.warnings}, {"total_frames", plan.total_frames.value()}}.dump();
    return outcome;
}

}  // namespace kompo::worker::steps
