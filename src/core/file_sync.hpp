#pragma once
// Getting a file's bytes, and a folder's entries, onto the disk: what the artifact store
// and the file blob store do before and after renaming a finished file into place.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace kompo {

// 0 when the file at `path` reached the disk, else the errno that says why not.
inline int sync_file(const std::filesystem::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    const int error = ::fsync(fd) == 0 ? 0 : errno;
    ::close(fd);
    return error;
}

// A folder that cannot be synced (some file systems refuse) is not an error: the rename
// that wrote its entry is in the file system's journal.
inline void sync_folder(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace kompo
