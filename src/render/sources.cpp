#include "render/sources.hpp"

#include <algorithm>
#include <exception>
#include <set>
#include <vector>

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "core/error.hpp"
#include "komposition/timeline.hpp"
#include "media/probe.hpp"
#include "plan/describe.hpp"
#include "plan/stream_copy.hpp"

namespace kompo::render {

namespace fs = std::filesystem;

namespace {

// Linux's NAME_MAX and a bound well under PATH_MAX: a longer url is no file name.
constexpr std::size_t kMaxSegmentBytes = 255;
constexpr std::size_t kMaxPathBytes = 1024;
constexpr std::size_t kShownBytes = 80;

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// The url in quotes, shortened, control characters shown as '?': a message stays one line.
std::string shown_url(const std::string& url) {
    std::string shown = "\"";
    for (const char c : url.substr(0, kShownBytes)) {
        shown += static_cast<unsigned char>(c) < 0x20 ? '?' : c;
    }
    return shown + (url.size() > kShownBytes ? "...\"" : "\"");
}

// Sources whose media the render range needs: pictures of segments in range, and the
// soundtrack.
std::set<std::string> needed_sources(const komp::Komposition& k, const komp::RenderRange& range) {
    const komp::Timeline tl(k, range);
    std::set<std::string> ids;
    for (const auto& seg : k.segments) {
        if (seg.end > tl.from() && seg.start < tl.to()) ids.insert(seg.source_id);
    }
    if (const auto* soundtrack = plan::soundtrack_of(k)) ids.insert(soundtrack->id);
    return ids;
}

// What keeps `name` (the url less file://) from naming a file under the media folder,
// judged on the text alone; empty when nothing does.
std::string lexical_problem(const std::string& name) {
    if (name.find('\\') != std::string::npos) {
        return "contains a backslash; folders are separated by \"/\"";
    }
    if (name.size() > kMaxPathBytes) return "is longer than 1024 bytes";
    const std::string outside = "; a server render reads only the tenant's media folder";
    if (name.front() == '/') return "is an absolute path" + outside;
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto end = std::min(name.find('/', start), name.size());
        const std::string_view segment(name.data() + start, end - start);
        if (segment == "..") return "has a \"..\" segment" + outside;
        if (segment.size() > kMaxSegmentBytes) return "has a path segment over 255 bytes";
        start = end + 1;
    }
    return "";
}

// Component by component: /media/t1 holds /media/t1/x but not /media/t10/x.
bool inside(const fs::path& path, const fs::path& root) {
    const auto [root_end, path_at] =
        std::mismatch(root.begin(), root.end(), path.begin(), path.end());
    return root_end == root.end();
}

// `name` resolved under the media folder with every symbolic link followed, refused
// unless it stays there. Only metadata is read (links, folders), never a file.
fs::path confined_path(const std::string& name, const fs::path& media_root,
                       const std::string& where) {
    if (const auto problem = lexical_problem(name); !problem.empty()) {
        throw Error::invalid(where + ": " + shown_url(name) + " " + problem);
    }
    std::error_code ec;
    fs::path root = fs::weakly_canonical(media_root, ec);
    if (ec) throw Error::io(where + ": media folder " + media_root.string() + ": " + ec.message());
    if (!root.has_filename()) root = root.parent_path();  // "/media/t1/" → "/media/t1"
    const fs::path candidate = root / name;
    // canonical() for whatever exists, a dangling link too (it fails on one); the
    // folders on the way of a missing file still have their links followed.
    const bool exists = fs::exists(fs::symlink_status(candidate, ec));
    const fs::path path =
        exists ? fs::canonical(candidate, ec) : fs::weakly_canonical(candidate, ec);
    if (ec) throw Error::media(where + ": " + shown_url(name) + ": " + ec.message());
    if (!inside(path, root)) {
        throw Error::invalid(where + ": " + shown_url(name) +
                             " leads outside the media folder (through a symbolic link)");
    }
    return path;
}

}  // namespace

fs::path resolve_source(const komp::Source& source, std::size_t index, const SourcePolicy& policy) {
    const std::string where = plan::source_label(index, source.id) + ".url";
    std::string url = source.url;
    if (url.empty()) throw Error::invalid(where + ": empty");
    if (url.find('\0') != std::string::npos) {
        throw Error::invalid(where + ": " + shown_url(url) + " contains a NUL byte");
    }
    if (starts_with(url, "http://") || starts_with(url, "https://")) {
        if (!policy.remote.enabled) {
            throw Error::invalid(where + ": " + shown_url(url) +
                                 " is remote; remote sources are not fetched, put the file in "
                                 "the media folder and name it file://NAME");
        }
        return fetch_remote(url, policy.media_root / ".remote", policy.remote,
                            where + " " + shown_url(url));
    }
    if (starts_with(url, "file://")) url = url.substr(7);
    if (url.empty()) throw Error::invalid(where + ": \"file://\" names no file");
    if (policy.confined) return confined_path(url, policy.media_root, where);
    fs::path path(url);
    return path.is_absolute() ? path : policy.media_root / path;
}

namespace {

// The sources to probe, by index: the first of each id that the render range needs.
std::vector<std::size_t> sources_to_probe(const komp::Komposition& k,
                                          const komp::RenderRange& range) {
    const auto needed = needed_sources(k, range);
    std::set<std::string> taken;
    std::vector<std::size_t> indices;
    for (std::size_t i = 0; i < k.sources.size(); ++i) {
        if (needed.contains(k.sources[i].id) && taken.insert(k.sources[i].id).second) {
            indices.push_back(i);
        }
    }
    return indices;
}

MediaInfo probe_source(const komp::Komposition& k, std::size_t i, const SourcePolicy& policy,
                       const Prober& probe) {
    const auto& source = k.sources[i];
    const fs::path path = resolve_source(source, i, policy);
    try {
        auto info = probe(path, false);
        // Keyframes (a scan of every packet) only where copying is possible at all.
        if (plan::copy_candidate(info, plan::output_format(k))) info = probe(path, true);
        return info;
    } catch (const Error& e) {
        // A tenant's render shows its media by name: the worker strips the media folder from
        // every step's error (worker/step_runner.cpp), this one's included.
        throw Error(e.kind(), plan::source_label(i, source.id) + ".url: " + e.what());
    }
}

}  // namespace

plan::MediaBySource probe_sources(const komp::Komposition& k, const komp::RenderRange& range,
                                  const SourcePolicy& policy, const Prober& prober,
                                  std::size_t parallel) {
    const Prober probe = prober ? prober : [](const fs::path& path, bool keyframes) {
        return media::probe(path.string(), keyframes);
    };
    const auto sources = sources_to_probe(k, range);
    std::vector<MediaInfo> infos(sources.size());
    std::vector<std::exception_ptr> errors(sources.size());
    const auto probe_nth = [&](std::size_t n) {
        try {
            infos[n] = probe_source(k, sources[n], policy, probe);
        } catch (...) {
            errors[n] = std::current_exception();
        }
    };
    if (parallel > 1 && sources.size() > 1) {
        boost::asio::thread_pool pool(std::min(parallel, sources.size()));
        for (std::size_t n = 0; n < sources.size(); ++n) {
            boost::asio::post(pool, [&probe_nth, n] { probe_nth(n); });
        }
        pool.join();
    } else {
        for (std::size_t n = 0; n < sources.size() && !errors[n]; ++n) probe_nth(n);
    }
    // The first source's error in document order, however the probes were spread.
    plan::MediaBySource media;
    for (std::size_t n = 0; n < sources.size(); ++n) {
        if (errors[n]) std::rethrow_exception(errors[n]);
        media.emplace(k.sources[sources[n]].id, std::move(infos[n]));
    }
    return media;
}

std::string without_root(std::string message, const fs::path& root) {
    std::error_code ec;
    for (const auto& prefix : {root, fs::weakly_canonical(root, ec)}) {
        const auto text = prefix.string() + "/";
        if (text.size() < 2) continue;
        for (auto at = message.find(text); at != std::string::npos; at = message.find(text, at)) {
            message.erase(at, text.size());
        }
    }
    return message;
}

}  // namespace kompo::render
