#pragma once
// Keeping the artifact store within its size: least recently used artifacts go first,
// never one that an unfinished execution (vocabulary.hpp) needs.
#include <cstdint>

#include "workflow/artifact_files.hpp"
#include "workflow/rows.hpp"

namespace kompo::workflow {

struct Eviction {
    std::int64_t artifacts = 0;
    std::int64_t bytes = 0;
    std::int64_t size_after = 0;
};

Eviction evict_to(WorkflowStore& store, const ArtifactFiles& files, std::int64_t max_bytes);

}  // namespace kompo::workflow
