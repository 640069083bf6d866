#pragma once
// Resumable uploads of one medium in chunks, in the spirit of Google's resumable uploads
// and tus: an upload is announced with its name and size, its bytes arrive in order as
// chunks appended to a partial file, and the last byte hands the file to MediaLibrary
// (probed and kept exactly like a whole-file upload).
//
// Each upload is DATA_DIR/uploads/partial/<tenant>/<id> (the bytes so far) beside
// <id>.json (name, size, replace and the offset, written by temp file + rename). The
// offset is recorded only after the bytes before it are synced, and bytes past it are
// dropped by the next chunk, so a crash never leaves a recorded offset ahead of the data.
// A chunk, a removal and the stale sweep lock the partial file (flock), so chunks of one
// upload apply one at a time, also across server processes sharing DATA_DIR.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "core/error.hpp"
#include "platform/platform.hpp"
#include "platform/rows.hpp"

namespace kompo::platform {

// An upload without a chunk for this long is removed (at server start, every hour while
// it runs, and whenever the tenant announces another upload), and the removal audited
// ("upload.expire" by "system", with the name, size and bytes received).
inline constexpr std::chrono::hours kUploadIdleLimit{24};

struct UploadState {
    std::string id;
    std::string name;          // the medium it becomes
    std::uint64_t size = 0;    // announced bytes
    std::uint64_t offset = 0;  // bytes received and synced: the next chunk starts here
};

struct UploadAnnouncement {
    std::string name;
    std::uint64_t size = 0;
    bool replace = false;  // may replace an existing medium of this name
};

// A chunk did not start at the upload's offset (a retry of bytes already received, or a
// resume from a guess): the client resumes from offset().
class OffsetMismatch : public Error {
  public:
    explicit OffsetMismatch(std::uint64_t offset);
    std::uint64_t offset() const { return offset_; }

  private:
    std::uint64_t offset_;
};

// An announced size over the limit (server.max_upload_bytes).
class UploadTooLarge : public Error {
  public:
    using Error::Error;
};

struct ChunkOutcome {
    UploadState state;                        // after the chunk
    std::optional<Document> medium;           // the kept medium, once the last byte arrived
    std::optional<std::string> replaced_rev;  // the revision of the medium it replaced
};

// Functions of the data folder; cheap to construct per request. Thread-safe across
// instances (the file lock orders concurrent chunks of one upload).
class UploadSessions {
  public:
    explicit UploadSessions(Platform& platform) : platform_(platform) {}

    // Starts an upload. Throws Error(invalid_input) naming `name` or `size` (at least 1
    // byte), UploadTooLarge over `max_size`, RevisionConflict when the name is taken
    // (MediaLibrary::check_can_add), Error(io) when the file system refuses.
    UploadState announce(const std::string& tenant, const UploadAnnouncement& upload,
                         std::uint64_t max_size);
    // The upload, when it exists and is the tenant's.
    std::optional<UploadState> get(const std::string& tenant, const std::string& id);
    // Appends the bytes of the file `chunk` (a finished request body; left in place) at
    // `first`. Throws OffsetMismatch unless `first` is the upload's offset,
    // Error(invalid_input) when the chunk is empty or runs past the size. The chunk that
    // completes the file hands it to MediaLibrary::add, and the upload ends whatever that
    // answers: a medium, or its error (Error(media) when undecodable, RevisionConflict
    // when the name was taken meanwhile) with nothing kept. nullopt: no such upload.
    std::optional<ChunkOutcome> append(const std::string& tenant, const std::string& id,
                                       std::uint64_t first, const std::filesystem::path& chunk);
    // Removes the upload and its bytes; false when there was none.
    bool remove(const std::string& tenant, const std::string& id);
    // Removes the tenant's uploads that got no chunk within `idle` (skipping one whose
    // chunk is being written); how many.
    std::size_t remove_stale(const std::string& tenant,
                             std::chrono::seconds idle = kUploadIdleLimit);
    // remove_stale for every tenant with uploads.
    std::size_t remove_stale_everywhere(std::chrono::seconds idle = kUploadIdleLimit);

  private:
    std::filesystem::path folder(const std::string& tenant) const;

    Platform& platform_;
};

}  // namespace kompo::platform
