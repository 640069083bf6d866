#include "blob/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/file_sync.hpp"
#include "core/random_hex.hpp"

namespace kompo::blob {

namespace fs = std::filesystem;

AtomicFile::AtomicFile(fs::path target)
    : target_(std::move(target)),
      // A leading dot: a listing of the folder does not take it for an object.
      temp_(target_.parent_path() /
            ("." + target_.filename().string() + ".part-" + random_hex(12))) {
    std::error_code ec;
    fs::create_directories(target_.parent_path(), ec);
    if (ec)
        throw Error::io(target_.parent_path().string() + ": cannot create folder: " + ec.message());
    file_.reset(std::fopen(temp_.c_str(), "wbx"));
    if (!file_) {
        throw Error::io(target_.string() + ": cannot write beside it: " + std::strerror(errno));
    }
}

AtomicFile::~AtomicFile() {
    if (!file_) return;
    file_.reset();
    std::error_code ec;
    fs::remove(temp_, ec);
}

void AtomicFile::commit() {
    const bool written = std::fflush(file_.get()) == 0 && ::fsync(::fileno(file_.get())) == 0;
    const int error = errno;
    if (!written) throw Error::io(target_.string() + ": cannot write: " + std::strerror(error));
    std::error_code ignored;
    if (std::fclose(file_.release()) != 0) {
        fs::remove(temp_, ignored);
        throw Error::io(target_.string() + ": cannot write: " + std::strerror(errno));
    }
    std::error_code ec;
    fs::rename(temp_, target_, ec);
    if (ec) {
        fs::remove(temp_, ignored);
        throw Error::io(target_.string() + ": cannot rename into place: " + ec.message());
    }
    sync_folder(target_.parent_path());
}

std::unique_ptr<std::FILE, int (*)(std::FILE*)> open_for_reading(const fs::path& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                         &std::fclose);
    if (!file) throw Error::io(path.string() + ": cannot read: " + std::strerror(errno));
    return file;
}

}  // namespace kompo::blob
