#pragma once
// A file that appears whole or not at all: written under a temporary name beside its
// target (same folder, so the rename is atomic), synced, then renamed over the target.
// Dropped without commit(), the temporary file is removed and the target is untouched.
#include <cstdio>
#include <filesystem>
#include <memory>

namespace kompo::blob {

class AtomicFile {
  public:
    // Opens the temporary file for writing; Error(io) naming `target` when it cannot.
    explicit AtomicFile(std::filesystem::path target);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    std::FILE* stream() const { return file_.get(); }
    // Flushes and syncs the file, renames it to the target and syncs the folder.
    void commit();

  private:
    struct Close {
        void operator()(std::FILE* file) const { std::fclose(file); }
    };
    std::filesystem::path target_;
    std::filesystem::path temp_;
    std::unique_ptr<std::FILE, Close> file_;
};

// Opens `path` for reading (binary); Error(io) naming it when it cannot.
std::unique_ptr<std::FILE, int (*)(std::FILE*)> open_for_reading(const std::filesystem::path& path);

}  // namespace kompo::blob
