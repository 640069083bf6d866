#include "workflow/cache.hpp"

#include <vector>

namespace kompo::workflow {

Eviction evict_to(WorkflowStore& store, const ArtifactFiles& files, std::int64_t max_bytes) {
    Eviction eviction;
    std::vector<std::string> doomed;
    // Rows go first, in the transaction that checks the pins; files after the commit.
    // A planner that finds a row afterwards finds no file, forgets the row and renders.
    store.write([&](WorkflowRows& tx) {
        doomed.clear();
        eviction = Eviction{};
        std::int64_t size = tx.artifacts_size();
        while (size > max_bytes) {
            const auto candidates = tx.evictable_artifacts(unfinished_states(), 64);
            if (candidates.empty()) break;
            for (const auto& artifact : candidates) {
                if (size <= max_bytes) break;
                tx.delete_artifact(artifact.key);
                doomed.push_back(artifact.path);
                size -= artifact.size;
                ++eviction.artifacts;
                eviction.bytes += artifact.size;
            }
        }
        eviction.size_after = size;
    });
    for (const auto& path : doomed) files.remove(path);
    return eviction;
}

}  // namespace kompo::workflow
