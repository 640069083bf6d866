#include "platform/media_library.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "media/probe.hpp"
#include "platform/documents.hpp"
#include "platform/renders.hpp"
#include "workflow/artifact_files.hpp"
#include "workflow/artifact_key.hpp"
#include "workflow/source_hash.hpp"

namespace kompo::platform {

namespace fs = std::filesystem;

namespace {

const char* document_type(MediaKind kind) {
    switch (kind) {
        case MediaKind::audio:
            return "Audio";
        case MediaKind::image:
            return "Image";
        case MediaKind::video:
            break;
    }
    return "Video";
}

nlohmann::ordered_json describe(const std::string& name, const MediaInfo& info, std::uint64_t size,
                                const std::string& checksum) {
    const auto extension = fs::path(name).extension().string();
    nlohmann::ordered_json body{{"_id", name},
                                {"type", document_type(info.kind)},
                                {"name", name},
                                {"url", name},
                                {"startingOffset", 0},
                                {"checksums", checksum},
                                {"format", info.container},
                                {"extension", extension.empty() ? "" : extension.substr(1)},
                                {"mediatype", media_kind_name(info.kind)},
                                {"duration", info.duration.value()},
                                {"size", size}};
    if (info.video) {
        body["width"] = info.video->display_width();
        body["height"] = info.video->display_height();
        body["framerate"] = info.video->frame_rate.as_double();
    }
    if (info.audio) {
        body["sample_rate"] = info.audio->sample_rate;
        body["channels"] = info.audio->channels;
    }
    return body;
}

// `text` with every byte that is not printable ASCII as \xNN: a refused name may hold
// NUL, control characters or invalid UTF-8, and the message must stay one valid line.
std::string quoted(const std::string& text) {
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7f) {
            out += c;
            continue;
        }
        constexpr const char* kHex = "0123456789abcdef";
        out += "\\x";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
    }
    return out;
}

// The first render of the medium then does not read it again to hash it. Under the
// path a render resolves it to (links resolved); only a saving, so a failure is no error.
void remember_hash(workflow::WorkflowStore& store, const fs::path& file,
                   const workflow::FileStamp& stamp, const std::string& hash) {
    try {
        workflow::remember_content_hash(store, fs::canonical(file), stamp, hash);
    } catch (const std::exception& e) {
        spdlog::warn("{}: content hash not remembered: {}", file.string(), e.what());
    }
}

}  // namespace

void check_media_name(const std::string& name) {
    const bool plain = !name.empty() && name.size() <= 200 && name.front() != '.' &&
                       name.find_first_not_of(
                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
                           std::string::npos;
    if (!plain) {
        throw Error::invalid("name \"" + quoted(name.substr(0, 80)) +
                             "\": use letters, digits, '.', '_' and '-' (at most 200, not "
                             "starting with '.')");
    }
}

Document MediaLibrary::add(const std::string& tenant, const fs::path& uploaded,
                           const std::string& name, bool replace) {
    struct RemoveUnlessKept {
        const fs::path& path;
        ~RemoveUnlessKept() {
            std::error_code ignored;
            fs::remove(path, ignored);
        }
    } cleanup{uploaded};
    const auto existing = admissible(tenant, name, replace);
    std::error_code size_error;
    if (fs::file_size(uploaded, size_error) == 0 && !size_error) {
        throw Error::media(name + ": the file is empty (0 bytes)");
    }
    MediaInfo info;
    try {
        info = media::probe(uploaded.string());
    } catch (const Error&) {
        throw Error::media(name + ": not a video, audio or image file that can be decoded");
    }
    const auto folder = media_folder(platform_, tenant);
    workflow::create_folder(folder);
    const auto target = folder / name;
    const auto hash = workflow::file_content_hash(uploaded);
    const auto stamp = workflow::stamp_of(uploaded);  // a rename keeps size and time
    auto body = describe(name, info, static_cast<std::uint64_t>(stamp.size), hash);
    std::error_code ec;
    fs::rename(uploaded, target, ec);
    if (ec) throw Error::io(name + ": cannot keep the upload: " + ec.message());
    auto document =
        Documents(platform_.tenant_store)
            .put(
                tenant, name, std::move(body),
                Expected{!existing, existing ? std::optional(existing->rev) : std::nullopt, false});
    remember_hash(platform_.workflow_store, target, stamp, hash);
    return document;
}

void MediaLibrary::check_can_add(const std::string& tenant, const std::string& name, bool replace) {
    admissible(tenant, name, replace);
}

std::optional<Document> MediaLibrary::admissible(const std::string& tenant, const std::string& name,
                                                 bool replace) {
    check_media_name(name);
    const auto existing = Documents(platform_.tenant_store).get(tenant, name);
    if (existing && existing->type == "Komposition") {
        throw RevisionConflict(name + ": a komposition has this id; name the medium otherwise",
                               existing->rev);
    }
    if (existing && !replace) {
        throw RevisionConflict(
            name + ": a medium with this name exists (upload with ?replace=true)", existing->rev);
    }
    return existing;
}

std::optional<std::pair<Document, fs::path>> MediaLibrary::find(const std::string& tenant,
                                                                const std::string& name) {
    const auto document = Documents(platform_.tenant_store).get(tenant, name);
    if (!document || document->type == "Komposition") return std::nullopt;
    return std::pair{*document, media_folder(platform_, tenant) / document->id};
}

std::vector<std::string> MediaLibrary::kompositions_using(const std::string& tenant,
                                                          const std::string& name) {
    std::vector<std::string> users;
    DocumentQuery query{.tenant = tenant, .type = "Komposition", .limit = 200};
    for (;;) {
        const auto page = Documents(platform_.tenant_store).list(tenant, query);
        for (const auto& document : page) {
            const auto body = nlohmann::json::parse(document.body, nullptr, false);
            const auto sources = body.is_object() ? body.value("sources", nlohmann::json::array())
                                                  : nlohmann::json::array();
            for (const auto& source : sources) {
                const auto url = source.is_object() ? source.value("url", std::string()) : "";
                if (url == name || url == "file://" + name) {
                    users.push_back(document.id);
                    break;
                }
            }
        }
        if (page.size() < query.limit) return users;
        query.after_id = page.back().id;
    }
}

bool MediaLibrary::remove(const std::string& tenant, const std::string& name) {
    const auto found = find(tenant, name);
    if (!found) return false;
    Documents(platform_.tenant_store)
        .remove(tenant, name, Expected{false, found->first.rev, false});
    std::error_code ec;
    fs::remove(found->second, ec);
    if (ec) spdlog::warn("media {}: document deleted, file left: {}", name, ec.message());
    return true;
}

}  // namespace kompo::platform
