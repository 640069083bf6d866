#include "blob/file_blob_store.hpp"

#include <array>
#include <cerrno>
#include <cstring>

#include "blob/atomic_file.hpp"
#include "core/error.hpp"

namespace kompo::blob {

namespace fs = std::filesystem;

namespace {

// Copies `from` into `to` through a fixed buffer, whatever the file's size.
void copy_stream(std::FILE* from, const fs::path& from_name, std::FILE* to,
                 const fs::path& to_name) {
    std::array<char, 1 << 16> buffer;
    std::size_t n = 0;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), from)) > 0) {
        if (std::fwrite(buffer.data(), 1, n, to) != n) {
            throw Error::io(to_name.string() + ": cannot write: " + std::strerror(errno));
        }
    }
    if (std::ferror(from)) {
        throw Error::io(from_name.string() + ": cannot read: " + std::strerror(errno));
    }
}

void copy_whole(const fs::path& source, const fs::path& target) {
    const auto from = open_for_reading(source);
    AtomicFile to(target);
    copy_stream(from.get(), source, to.stream(), target);
    to.commit();
}

}  // namespace

FileBlobStore::FileBlobStore(std::string url, fs::path root)
    : url_(std::move(url)), root_(std::move(root)) {
    std::error_code ec;
    fs::create_directories(root_, ec);
    if (ec || !fs::is_directory(root_)) {
        throw Error::io(url_ + ": cannot use folder " + root_.string() + ": " +
                        (ec ? ec.message() : "not a folder"));
    }
}

fs::path FileBlobStore::path_of(const std::string& key) const {
    check_key(key);
    return root_ / key;
}

void FileBlobStore::put(const std::string& key, const fs::path& source) {
    copy_whole(source, path_of(key));
}

bool FileBlobStore::get(const std::string& key, const fs::path& destination) {
    const auto object = path_of(key);
    if (!fs::is_regular_file(object)) return false;
    copy_whole(object, destination);
    return true;
}

bool FileBlobStore::exists(const std::string& key) {
    return fs::is_regular_file(path_of(key));
}

std::optional<std::uint64_t> FileBlobStore::size(const std::string& key) {
    std::error_code ec;
    const auto bytes = fs::file_size(path_of(key), ec);
    if (ec) return std::nullopt;
    return bytes;
}

void FileBlobStore::remove(const std::string& key) {
    std::error_code ec;
    fs::remove(path_of(key), ec);
    if (ec) throw Error::io(url_ + ": cannot remove " + key + ": " + ec.message());
}

}  // namespace kompo::blob
