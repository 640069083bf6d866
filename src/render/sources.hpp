#pragma once
// Where a source's `url` points on this machine.
#include <filesystem>
#include <functional>
#include <string>

#include "komposition/komposition.hpp"
#include "plan/plan.hpp"
#include "render/remote_fetch.hpp"

namespace kompo::render {

// What a render may read.
struct SourcePolicy {
    std::filesystem::path media_root;  // where file://NAME and relative urls resolve
    // A tenant's render on the server: only files inside media_root, whatever the url
    // or the symbolic links on the way say. Off for `kompo render` of one's own files.
    bool confined = false;
    // http(s) urls: refused unless enabled; then fetched into media_root/.remote/ from
    // public addresses only (remote_fetch.hpp).
    RemoteFetch remote;
};

// `file://NAME` and relative paths resolve inside `media_root`. Not confined, absolute
// paths are taken as they are (the command-line user owns the machine). Confined, the url
// is refused when it is absolute or has a ".." segment, a backslash, a segment over 255
// bytes or over 1024 bytes in all, or leads outside `media_root` through a symbolic link
// (checked on the resolved path, folder by folder); the path returned then has its links
// resolved. A NUL byte and http(s) are refused in both modes (remote media are not
// fetched). Percent-escapes are not decoded: `%2e%2e` is a file name like any other.
// Throws Error(invalid_input) naming `sources[i].url`, Error(media) for a broken link.
std::filesystem::path resolve_source(const komp::Source& source, std::size_t index,
                                     const SourcePolicy& policy);

// A message for a tenant, who is shown its media by name, not where the server keeps
// them: every "MEDIA_ROOT/" (as given, or with its links resolved) taken out.
std::string without_root(std::string message, const std::filesystem::path& media_root);

// How a medium is probed (`keyframes`: also scan for keyframe times, for stream copies).
// Empty: media::probe. The workflow's probe step passes one that remembers what it found.
using Prober = std::function<MediaInfo(const std::filesystem::path& path, bool keyframes)>;

// Probes every source the render range needs (segment pictures and the soundtrack),
// `parallel` at once (hashing a large source for the cache takes seconds; `prober` must
// then be safe to call from several threads). Errors name the source, the first in the
// document's order when several fail: `sources[2] ("clip_a").url: media/a.mp4: file not found`.
plan::MediaBySource probe_sources(const komp::Komposition& komposition,
                                  const komp::RenderRange& range, const SourcePolicy& policy,
                                  const Prober& prober = {}, std::size_t parallel = 1);

}  // namespace kompo::render
