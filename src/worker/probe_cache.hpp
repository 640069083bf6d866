#pragma once
// What the probe step knows of sources without opening them: a source's content hash is
// remembered by path, size and modification time, and what probing that content found by
// the hash, both in the store. An unchanged source is neither read nor opened again; a
// file whose size or time changed is hashed again and, when its content is new, probed.
#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "core/media_info.hpp"
#include "workflow/rows.hpp"

namespace kompo::worker {

class ProbeCache {
  public:
    explicit ProbeCache(workflow::WorkflowStore& store) : store_(store) {}

    // Both are safe to call from several threads (the probe step probes sources at once);
    // a file asked for by several at once is hashed and probed once.
    // media::probe(path, keyframes), or what it said of the same content before.
    MediaInfo probe(const std::filesystem::path& path, bool keyframes);
    // The content hash of `path` (hashing the file only when it is new or changed).
    // Throws Error(media) "<path>: file not found", Error(io) when it cannot be read.
    std::string content_hash(const std::filesystem::path& path);

    int hashed() const { return hashed_; }  // files read to hash them (new or changed)
    int cached() const { return cached_; }  // probes answered from the store
    int probed() const { return probed_; }  // probes that opened a file

  private:
    std::string stored_or_new_hash(const std::filesystem::path& path);
    MediaInfo stored_or_new_probe(const std::filesystem::path& path, bool keyframes);

    workflow::WorkflowStore& store_;
    // What this step found, by path: the first to ask works, the others wait for it.
    std::mutex mutex_;  // guards both maps
    std::map<std::filesystem::path, std::shared_future<std::string>> hashes_;
    std::map<std::pair<std::filesystem::path, bool>, std::shared_future<MediaInfo>> probes_;
    std::atomic<int> hashed_ = 0;
    std::atomic<int> cached_ = 0;
    std::atomic<int> probed_ = 0;
};

}  // namespace kompo::worker
