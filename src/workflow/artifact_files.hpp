#pragma once
// The artifact store's files: content-addressed (the key names the file), published by
// rename so that a reader sees a whole file or none, never rewritten once there.
// The index of what exists (sizes, last use) lives in the `artifacts` rows (rows.hpp:
// ArtifactRows).
#include <cstdint>
#include <filesystem>
#include <string>

namespace kompo::workflow {

// Creates `dir` and its parents when missing; Error(io) naming it when it cannot.
void create_folder(const std::filesystem::path& dir);

class ArtifactFiles {
  public:
    explicit ArtifactFiles(std::filesystem::path root);

    const std::filesystem::path& root() const { return root_; }
    // "ab/ab12…ef.mp4": the first two hex digits spread files over 256 folders.
    static std::string relative_path(const std::string& key, const std::string& extension);
    std::filesystem::path absolute(const std::string& relative) const;
    bool exists(const std::string& relative) const;

    // A fresh path in the store's temporary folder (same file system: renames are atomic).
    std::filesystem::path temp_path(const std::string& extension) const;
    // Where a checkpointed step keeps the finished parts of its artifact.
    std::filesystem::path partial_dir(const std::string& key) const;

    // Moves a finished temporary file to `relative`, durably (file and folder synced).
    // When the artifact is already there, it is kept and `temp` is removed: an artifact
    // is written once. Returns the artifact's size. Throws Error(io).
    std::int64_t publish(const std::filesystem::path& temp, const std::string& relative) const;
    void remove(const std::string& relative) const;  // quietly: a missing file is no error

    // Copies `from` (an artifact) to `target` outside the store, whole or not at all and
    // durably: a hidden sibling is written and synced, then renamed, then the folder is
    // synced, so a machine that dies after a render said "done" still has the video.
    // Throws Error(io) naming `target`; no partial file is left behind.
    static void copy_out(const std::filesystem::path& from, const std::filesystem::path& target);

  private:
    std::filesystem::path root_;
};

}  // namespace kompo::workflow
