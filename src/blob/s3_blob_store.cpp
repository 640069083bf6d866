#include "blob/s3_blob_store.hpp"

#include <filesystem>

#include "blob/atomic_file.hpp"
#include "blob/s3_request.hpp"
#include "core/error.hpp"

namespace kompo::blob {

namespace fs = std::filesystem;

namespace {

bool success(long status) {
    return status >= 200 && status < 300;
}

}  // namespace

S3BlobStore::S3BlobStore(std::string url, std::string bucket, std::string prefix,
                         S3Settings settings)
    : url_(std::move(url)),
      bucket_(std::move(bucket)),
      prefix_(std::move(prefix)),
      settings_(std::move(settings)) {
    if (settings_.endpoint.empty()) {
        settings_.endpoint = "https://s3." + settings_.region + ".amazonaws.com";
    }
    while (!settings_.endpoint.empty() && settings_.endpoint.back() == '/') {
        settings_.endpoint.pop_back();
    }
}

// Keys and prefixes hold only characters that need no escaping in a url path.
std::string S3BlobStore::object_url(const std::string& key) const {
    check_key(key);
    return settings_.endpoint + "/" + bucket_ + "/" + (prefix_.empty() ? "" : prefix_ + "/") + key;
}

void S3BlobStore::put(const std::string& key, const fs::path& source) {
    const auto target = object_url(key);
    const auto file = open_for_reading(source);
    std::error_code ec;
    const auto bytes = fs::file_size(source, ec);
    if (ec) throw Error::io(source.string() + ": cannot read: " + ec.message());
    S3Request request(settings_, "PUT", target, url_ + ": PUT " + key);
    request.upload_from(file.get(), bytes);
    const long status = request.perform();
    if (!success(status)) request.fail(status);
}

bool S3BlobStore::get(const std::string& key, const fs::path& destination) {
    const auto source = object_url(key);
    AtomicFile file(destination);
    S3Request request(settings_, "GET", source, url_ + ": GET " + key);
    request.download_to(file.stream());
    const long status = request.perform();
    if (status == 404) return false;
    if (!success(status)) request.fail(status);
    file.commit();
    return true;
}

bool S3BlobStore::exists(const std::string& key) {
    return size(key).has_value();
}

std::optional<std::uint64_t> S3BlobStore::size(const std::string& key) {
    S3Request request(settings_, "HEAD", object_url(key), url_ + ": HEAD " + key);
    request.without_body();
    const long status = request.perform();
    if (status == 404) return std::nullopt;
    if (!success(status)) request.fail(status);
    const auto length = request.content_length();
    if (length < 0) throw Error::io(url_ + ": HEAD " + key + ": answered without a length");
    return static_cast<std::uint64_t>(length);
}

void S3BlobStore::remove(const std::string& key) {
    S3Request request(settings_, "DELETE", object_url(key), url_ + ": DELETE " + key);
    const long status = request.perform();
    if (status != 404 && !success(status)) request.fail(status);
}

}  // namespace kompo::blob
