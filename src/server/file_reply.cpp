#include "server/file_reply.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>

namespace kompo::server {

namespace {

struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
};

std::optional<std::uint64_t> number(const std::string& text) {
    if (text.empty() || text.size() > 19 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return std::nullopt;
    }
    return std::stoull(text);
}

// nullopt: not satisfiable (416). A header that is not a single byte range is ignored
// (the whole file is sent), as RFC 9110 allows.
std::optional<ByteRange> parse_range(const std::string& header, std::uint64_t size, bool& ignored) {
    ignored = true;
    if (header.rfind("bytes=", 0) != 0 || header.find(',') != std::string::npos) return ByteRange{};
    const auto spec = header.substr(6);
    const auto dash = spec.find('-');
    if (dash == std::string::npos) return ByteRange{};
    const auto first = number(spec.substr(0, dash));
    const auto last = number(spec.substr(dash + 1));
    if (!first && !last) return ByteRange{};
    ignored = false;
    if (!first) {  // the last *last bytes
        if (*last == 0 || size == 0) return std::nullopt;
        return ByteRange{size - std::min(*last, size), size - 1};
    }
    if (*first >= size) return std::nullopt;
    if (last && *last < *first) {
        ignored = true;
        return ByteRange{};
    }
    return ByteRange{*first, std::min(last.value_or(size - 1), size - 1)};
}

}  // namespace

std::string content_type_of(const std::filesystem::path& file) {
    static const std::map<std::string, std::string> types{
        {".mp4", "video/mp4"},
        {".m4v", "video/mp4"},
        {".webm", "video/webm"},
        {".mov", "video/quicktime"},
        {".mkv", "video/x-matroska"},
        {".jpg", "image/jpeg"},
        {".jpeg", "image/jpeg"},
        {".png", "image/png"},
        {".mp3", "audio/mpeg"},
        {".flac", "audio/flac"},
        {".wav", "audio/wav"},
        {".ogg", "audio/ogg"},
        {".m4a", "audio/mp4"},
        {".aac", "audio/aac"},
        {".opus", "audio/opus"},
        // the web app's files
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"}};
    auto ext = file.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
    const auto found = types.find(ext);
    return found == types.end() ? "application/octet-stream" : found->second;
}

Reply file_reply(const Request& request, const std::filesystem::path& file,
                 const std::string& content_type, const std::string& download_name) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec) {
        return Reply::error(http::status::not_found, "not_found",
                            file.filename().string() + ": no longer available");
    }
    Reply reply;
    reply.header("Content-Type", content_type).header("Accept-Ranges", "bytes");
    if (!download_name.empty()) {
        reply.header("Content-Disposition", "attachment; filename=\"" + download_name + "\"");
    }
    const auto range_header = request.header(http::field::range);
    bool ignored = true;
    const auto range = range_header.empty() ? std::optional<ByteRange>(ByteRange{})
                                            : parse_range(range_header, size, ignored);
    if (!range) {
        auto refused = Reply::error(
            http::status::range_not_satisfiable, "range_not_satisfiable",
            "Range " + range_header + ": outside the file's " + std::to_string(size) + " bytes");
        return refused.header("Content-Range", "bytes */" + std::to_string(size));
    }
    if (ignored) {
        reply.file = FileSlice{file, 0, size};
        return reply;
    }
    reply.status = http::status::partial_content;
    reply.file = FileSlice{file, range->first, range->last - range->first + 1};
    reply.header("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                      std::to_string(range->last) + "/" + std::to_string(size));
    return reply;
}

}  // namespace kompo::server
