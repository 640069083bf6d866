#pragma once
// A source file's content hash (what the cache keys of its pieces are made of), remembered
// in the store by the file's path, size and modification time: a file is read to hash it
// only when it is new or changed. The probe step asks; an upload tells it what it hashed
// on arrival, so the first render of a new medium does not read it again.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "workflow/rows.hpp"

namespace kompo::workflow {

struct FileStamp {
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
};

// Throws Error(media) "<path>: file not found".
FileStamp stamp_of(const std::filesystem::path& path);

// The hash remembered for `path` as it was when `stamp` was taken; none when the file
// changed since it was hashed, or never was.
std::optional<std::string> remembered_content_hash(WorkflowStore& store,
                                                   const std::filesystem::path& path,
                                                   const FileStamp& stamp);

// Remembers `hash` (file_content_hash) for `path` with the stamp taken before hashing it,
// so that a change made while it was read is not taken for the hashed content.
void remember_content_hash(WorkflowStore& store, const std::filesystem::path& path,
                           const FileStamp& stamp, const std::string& hash);

}  // namespace kompo::workflow
