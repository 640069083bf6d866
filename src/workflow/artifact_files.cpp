#include "workflow/artifact_files.hpp"

#include <cstring>

#include "core/error.hpp"
#include "core/file_sync.hpp"
#include "core/random_hex.hpp"

namespace kompo::workflow {

namespace fs = std::filesystem;

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
    // The data reaches the disk before the name does: a machine that dies leaves no
    // artifact that says more than its file holds.
    if (const int error = sync_file(temp)) {
        fs::remove(temp, ec);
        throw Error::io(target.string() + ": cannot store artifact: " + std::strerror(error));
    }
    fs::rename(temp, target, ec);
    if (ec) throw Error::io(target.string() + ": cannot store artifact: " + ec.message());
    sync_folder(target.parent_path());
    return static_cast<std::int64_t>(fs::file_size(target));
}

void ArtifactFiles::copy_out(const fs::path& from, const fs::path& target) {
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw Error::io(target.string() + ": cannot write: the folder " + folder.string() +
                        " does not exist");
    }
    const fs::path partial =
        folder / ("." + target.filename().string() + ".kompo-" + random_hex(8) + ".partial");
    fs::copy_file(from, partial, fs::copy_options::overwrite_existing, ec);
    if (!ec) {
        if (const int error = sync_file(partial)) ec.assign(error, std::generic_category());
    }
    if (!ec) fs::rename(partial, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        throw Error::io(target.string() + ": cannot write the output: " + ec.message());
    }
    sync_folder(folder);
}

void ArtifactFiles::remove(const std::string& relative) const {
    std::error_code ec;
    fs::remove(absolute(relative), ec);
}

}  // namespace kompo::workflow
