// Which store a url names, and what a valid object key, bucket and prefix look like.
#include <cstdlib>
#include <string_view>

#include "blob/blob_store.hpp"
#include "blob/file_blob_store.hpp"
#include "blob/s3_blob_store.hpp"
#include "core/error.hpp"

namespace kompo::blob {

namespace {

constexpr std::size_t kMaxKeyLength = 512;

bool is_key_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
}

// Why `path` is not a '/'-separated list of plain segments; empty when it is.
std::string path_problem(std::string_view path) {
    if (path.empty()) return "is empty";
    if (path.size() > kMaxKeyLength) return "is longer than 512 characters";
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto end = std::min(path.find('/', start), path.size());
        const auto segment = path.substr(start, end - start);
        if (segment.empty()) return "has an empty segment (a leading, trailing or double '/')";
        if (segment.front() == '.') return "has a segment starting with '.'";
        for (char c : segment) {
            if (!is_key_char(c)) return "may hold only letters, digits, '.', '_', '-' and '/'";
        }
        start = end + 1;
    }
    return "";
}

// S3's rules for bucket names: 3 to 63 lowercase letters, digits, '.' and '-', each
// '.'-separated label starting and ending with a letter or digit.
bool valid_bucket(std::string_view bucket) {
    if (bucket.size() < 3 || bucket.size() > 63) return false;
    for (char c : bucket) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
            return false;
        }
    }
    const auto edge = [](char c) { return c == '.' || c == '-'; };
    if (edge(bucket.front()) || edge(bucket.back())) return false;
    for (const auto* bad : {"..", ".-", "-."}) {
        if (bucket.find(bad) != std::string_view::npos) return false;
    }
    return true;
}

[[noreturn]] void bad_url(const std::string& url, const std::string& why) {
    throw Error::invalid("blob store url \"" + url + "\": " + why);
}

std::unique_ptr<BlobStore> open_file_store(const std::string& url) {
    const std::string path = url.substr(std::string_view("file://").size());
    if (path.empty() || path.front() != '/') {
        bad_url(url, "a file url names an absolute folder of this machine: file:///path");
    }
    return std::make_unique<FileBlobStore>(url, path);
}

std::unique_ptr<BlobStore> open_s3_store(const std::string& url, const S3Settings& s3) {
    std::string rest = url.substr(std::string_view("s3://").size());
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto slash = rest.find('/');
    const auto bucket = rest.substr(0, slash);
    const auto prefix = slash == std::string::npos ? "" : rest.substr(slash + 1);
    if (!valid_bucket(bucket)) {
        bad_url(url, "the bucket must be 3 to 63 lowercase letters, digits, '.' or '-'");
    }
    if (!prefix.empty()) {
        if (const auto problem = path_problem(prefix); !problem.empty()) {
            bad_url(url, "the prefix " + problem);
        }
    }
    if (s3.access_key_id.empty() || s3.secret_access_key.empty()) {
        bad_url(url, "no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
    }
    return std::make_unique<S3BlobStore>(url, bucket, prefix, s3);
}

std::string environment(const char* name, const char* fallback = nullptr) {
    if (const char* value = std::getenv(name); value && *value) return value;
    if (fallback) return environment(fallback);
    return "";
}

}  // namespace

void check_key(const std::string& key) {
    if (const auto problem = path_problem(key); !problem.empty()) {
        throw Error::invalid("blob key \"" + key + "\" " + problem);
    }
}

S3Settings S3Settings::from_environment() {
    S3Settings settings;
    settings.endpoint = environment("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL");
    if (auto region = environment("AWS_REGION", "AWS_DEFAULT_REGION"); !region.empty()) {
        settings.region = region;
    }
    settings.access_key_id = environment("AWS_ACCESS_KEY_ID");
    settings.secret_access_key = environment("AWS_SECRET_ACCESS_KEY");
    settings.session_token = environment("AWS_SESSION_TOKEN");
    return settings;
}

std::unique_ptr<BlobStore> open_blob_store(const std::string& url, const S3Settings& s3) {
    if (url.starts_with("file://")) return open_file_store(url);
    if (url.starts_with("s3://")) return open_s3_store(url, s3);
    bad_url(url, "use file:///path or s3://bucket/prefix");
}

}  // namespace kompo::blob
