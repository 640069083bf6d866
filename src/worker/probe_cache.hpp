#pragma once
// What the probe step knows of sources without opening them: a source's content hash is
// remembered by path, size and modification time, and what probing that content found by
// the hash, both in the store. An unchanged source is neither read nor opened again; a
// file whose size or time changed is hashed again and, when its content is new, probed.
#include <filesystem>
#include <map>
#include <string>

#include "core/media_info.hpp"
#include "workflow/rows.hpp"

namespace kompo::worker {

class ProbeCache {
  public:
    explicit ProbeCache(workflow::WorkflowStore& store) : store_(store) {}

    // media::probe(path, keyframes), or what it said of the same content before.
    MediaInfo probe(const std::filesystem::path& path, bool keyframes);
    // The content hash of `path` (hashing the file only when it is new or changed).
    // Throws Error(media) "<path>: file not found", Error(io) when it cannot be read.
    const std::string& content_hash(const std::filesystem::path& path);

    int hashed() const { return hashed_; }  // files read to hash them (new or changed)
    int cached() const { return cached_; }  // probes answered from the store
    int probed() const { return probed_; }  // probes that opened a file

  private:
    workflow::WorkflowStore& store_;
    std::map<std::filesystem::path, std::string> hashes_;  // of this step, by path
    int hashed_ = 0;
    int cached_ = 0;
    int probed_ = 0;
};

}  // namespace kompo::worker
