#include "workflow/artifact_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/random_hex.hpp"

namespace kompo::workflow {

namespace fs = std::filesystem;

namespace {

void sync_path(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void create_folder(const fs::path& dir) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error::io(dir.string() + ": cannot create folder: " + ec.message());
}

ArtifactFiles::ArtifactFiles(fs::path root) : root_(std::move(root)) {
    create_folder(root_ / "tmp");
}

std::string ArtifactFiles::relative_path(const std::string& key, const std::string& extension) {
    return key.substr(0, 2) + "/" + key + extension;
}

fs::path ArtifactFiles::absolute(const std::string& relative) const {
    return root_ / relative;
}

bool ArtifactFiles::exists(const std::string& relative) const {
    std::error_code ec;
    return fs::is_regular_file(absolute(relative), ec);
}

fs::path ArtifactFiles::temp_path(const std::string& extension) const {
    return root_ / "tmp" / (random_hex(16) + extension);
}

fs::path ArtifactFiles::partial_dir(const std::string& key) const {
    return root_ / "partial" / key;
}

std::int64_t ArtifactFiles::publish(const fs::path& temp, const std::string& relative) const {
    const fs::path target = absolute(relative);
    std::error_code ec;
    if (fs::is_regular_file(target, ec)) {
        fs::remove(temp, ec);
        return static_cast<std::int64_t>(fs::file_size(target, ec));
    }
    create_folder(target.parent_path());
    sync_path(temp, O_RDONLY);
    fs::rename(temp, target, ec);
    if (ec) throw Error::io(target.string() + ": cannot store artifact: " + ec.message());
    sync_path(target.parent_path(), O_RDONLY | O_DIRECTORY);
    return static_cast<std::int64_t>(fs::file_size(target));
}

void ArtifactFiles::remove(const std::string& relative) const {
    std::error_code ec;
    fs::remove(absolute(relative), ec);
}

}  // namespace kompo::workflow
