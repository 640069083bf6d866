#pragma once
// Keeping the artifact store within its size: least recently used artifacts go first,
// never one that a queued or running execution needs.
#include <cstdint>

#include "store/artifact_files.hpp"
#include "store/store.hpp"

namespace kompo::workflow {

struct Eviction {
    std::int64_t artifacts = 0;
    std::int64_t bytes = 0;
    std::int64_t size_after = 0;
};

Eviction evict_to(store::Store& store, const store::ArtifactFiles& files, std::int64_t max_bytes);

}  // namespace kompo::workflow
