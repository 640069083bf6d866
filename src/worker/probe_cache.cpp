#include "worker/probe_cache.hpp"

#include <sys/stat.h>

#include "core/error.hpp"
#include "media/probe.hpp"
#include "workflow/artifact_key.hpp"
#include "workflow/piece_json.hpp"

namespace kompo::worker {

namespace {

// Names what media::probe returns: change the number whenever its output changes (a new
// field, another FFmpeg), so that what older builds stored is not taken for it.
std::string probe_name(bool keyframes) {
    return keyframes ? "keyframes-1" : "streams-1";
}

}  // namespace

const std::string& ProbeCache::content_hash(const std::filesystem::path& path) {
    if (const auto known = hashes_.find(path); known != hashes_.end()) return known->second;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) throw Error::media(path.string() + ": file not found");
    const std::int64_t size = st.st_size;
    const std::int64_t mtime = st.st_mtim.tv_sec * 1'000'000'000LL + st.st_mtim.tv_nsec;
    std::optional<std::string> hash;
    store_.read([&](workflow::WorkflowRows& tx) { hash = tx.source_hash(path, size, mtime); });
    if (!hash) {
        // Hashing a large source takes seconds: done once per content, then remembered.
        hash = workflow::file_content_hash(path);
        ++hashed_;
        store_.write(
            [&](workflow::WorkflowRows& tx) { tx.put_source_hash(path, size, mtime, *hash); });
    }
    return hashes_.emplace(path, *hash).first->second;
}

MediaInfo ProbeCache::probe(const std::filesystem::path& path, bool keyframes) {
    const std::string hash = content_hash(path);
    const std::string name = probe_name(keyframes);
    std::optional<std::string> stored;
    store_.read([&](workflow::WorkflowRows& tx) { stored = tx.probed_media(hash, name); });
    if (stored) {
        ++cached_;
        auto info = workflow::media_info_from(nlohmann::json::parse(*stored));
        info.path = path.string();  // the same content may have had another name
        return info;
    }
    auto info = media::probe(path.string(), keyframes);
    ++probed_;
    const auto text = workflow::to_json(info).dump();
    store_.write([&](workflow::WorkflowRows& tx) { tx.put_probed_media(hash, name, text); });
    return info;
}

}  // namespace kompo::worker
