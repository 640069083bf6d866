#include "worker/probe_cache.hpp"

#include "core/error.hpp"
#include "media/probe.hpp"
#include "workflow/artifact_key.hpp"
#include "workflow/piece_json.hpp"
#include "workflow/source_hash.hpp"

namespace kompo::worker {

namespace {

// Names what media::probe returns: change the number whenever its output changes (a new
// field, another FFmpeg), so that what older builds stored is not taken for it.
std::string probe_name(bool keyframes) {
    return keyframes ? "keyframes-1" : "streams-1";
}

// The value `make` gives for `key`, made once: the first caller makes it outside the lock
// (hashing takes seconds), callers meanwhile wait for it, later ones get it (or its error)
// as it was.
template <class Key, class Value, class Make>
Value once(std::mutex& mutex, std::map<Key, std::shared_future<Value>>& made, const Key& key,
           const Make& make) {
    std::promise<Value> promise;
    std::shared_future<Value> value;
    bool maker = false;
    {
        std::lock_guard lock(mutex);
        const auto [known, added] = made.try_emplace(key, promise.get_future().share());
        value = known->second;
        maker = added;
    }
    // Waited for outside the lock: the maker takes it again (a probe asks for the hash).
    if (!maker) return value.get();
    try {
        promise.set_value(make());
    } catch (...) {
        promise.set_exception(std::current_exception());
    }
    return value.get();
}

}  // namespace

std::string ProbeCache::content_hash(const std::filesystem::path& path) {
    return once(mutex_, hashes_, path, [&] { return stored_or_new_hash(path); });
}

std::string ProbeCache::stored_or_new_hash(const std::filesystem::path& path) {
    const auto stamp = workflow::stamp_of(path);
    if (auto known = workflow::remembered_content_hash(store_, path, stamp)) return *known;
    // Hashing a large source takes seconds: done once per content, then remembered.
    auto hash = workflow::file_content_hash(path);
    ++hashed_;
    workflow::remember_content_hash(store_, path, stamp, hash);
    return hash;
}

MediaInfo ProbeCache::probe(const std::filesystem::path& path, bool keyframes) {
    return once(mutex_, probes_, std::pair(path, keyframes),
                [&] { return stored_or_new_probe(path, keyframes); });
}

MediaInfo ProbeCache::stored_or_new_probe(const std::filesystem::path& path, bool keyframes) {
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
