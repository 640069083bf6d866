#pragma once
#include <filesystem>
#include <system_error>

namespace kompo::render {

// Removes a file or folder when it goes out of scope, unless released: work files never
// outlive a failed or cancelled render.
class ScopedPath {
  public:
    explicit ScopedPath(std::filesystem::path path) : path_(std::move(path)) {}
    ScopedPath(const ScopedPath&) = delete;
    ScopedPath& operator=(const ScopedPath&) = delete;
    ~ScopedPath() {
        if (path_.empty()) return;
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    const std::filesystem::path& path() const { return path_; }
    void release() { path_.clear(); }

  private:
    std::filesystem::path path_;
};

}  // namespace kompo::render
