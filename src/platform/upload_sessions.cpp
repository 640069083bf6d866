#include "platform/upload_sessions.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/audit.hpp"
#include "core/field_error.hpp"
#include "core/random_hex.hpp"
#include "platform/documents.hpp"
#include "platform/media_library.hpp"

namespace kompo::platform {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kIdDigits = 24;
constexpr std::size_t kCopyBytes = 1 << 20;

// An open file descriptor, closed when it goes.
class FileHandle {
  public:
    explicit FileHandle(int fd) : fd_(fd) {}
    FileHandle(FileHandle&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
    FileHandle& operator=(FileHandle&&) = delete;
    FileHandle(const FileHandle&) = delete;
    FileHandle& operator=(const FileHandle&) = delete;
    ~FileHandle() {
        if (fd_ >= 0) ::close(fd_);
    }
    int get() const { return fd_; }

  private:
    int fd_;
};

[[noreturn]] void fail(const fs::path& path, const std::string& what, int error) {
    throw Error::io(path.filename().string() + ": cannot " + what + ": " + std::strerror(error));
}

FileHandle open_file(const fs::path& path, int flags) {
    int fd = -1;
    do {
        fd = ::open(path.c_str(), flags | O_CLOEXEC, 0600);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) fail(path, "open", errno);
    return FileHandle(fd);
}

void sync(const FileHandle& file, const fs::path& path) {
    if (::fsync(file.get()) != 0) fail(path, "sync", errno);
}

// Makes a rename or creation in `folder` durable.
void sync_folder(const fs::path& folder) {
    sync(open_file(folder, O_RDONLY | O_DIRECTORY), folder);
}

std::uint64_t size_of(const FileHandle& file, const fs::path& path) {
    struct stat info {};
    if (::fstat(file.get(), &info) != 0) fail(path, "stat", errno);
    return static_cast<std::uint64_t>(info.st_size);
}

// Whether `file` is still the one at `path`: a chunk that held the lock before may have
// completed the upload (its bytes renamed into the media folder) or it was removed.
bool still_at(const FileHandle& file, const fs::path& path) {
    struct stat held {
    }, named{};
    if (::fstat(file.get(), &held) != 0 || ::stat(path.c_str(), &named) != 0) return false;
    return held.st_dev == named.st_dev && held.st_ino == named.st_ino;
}

// Takes the upload's lock; without `wait`, false when another holds it.
bool lock(const FileHandle& file, const fs::path& path, bool wait) {
    const int operation = LOCK_EX | (wait ? 0 : LOCK_NB);
    int result = 0;
    do {
        result = ::flock(file.get(), operation);
    } while (result != 0 && errno == EINTR);
    if (result == 0) return true;
    if (errno == EWOULDBLOCK) return false;
    fail(path, "lock", errno);
}

void write_all(const FileHandle& file, const fs::path& path, const char* data, std::size_t bytes,
               std::uint64_t at) {
    while (bytes > 0) {
        const auto written = ::pwrite(file.get(), data, bytes, static_cast<off_t>(at));
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) fail(path, "write", errno);
        data += written;
        bytes -= static_cast<std::size_t>(written);
        at += static_cast<std::uint64_t>(written);
    }
}

// Copies all of `chunk` into `file` from byte `at`; the bytes copied.
std::uint64_t copy_into(const FileHandle& file, const fs::path& path, std::uint64_t at,
                        const fs::path& chunk) {
    const auto source = open_file(chunk, O_RDONLY);
    std::vector<char> buffer(kCopyBytes);
    std::uint64_t copied = 0;
    for (;;) {
        const auto got = ::read(source.get(), buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) fail(chunk, "read", errno);
        if (got == 0) return copied;
        write_all(file, path, buffer.data(), static_cast<std::size_t>(got), at + copied);
        copied += static_cast<std::uint64_t>(got);
    }
}

bool is_upload_id(const std::string& id) {
    return id.size() == kIdDigits && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

fs::path bytes_path(const fs::path& folder, const std::string& id) {
    return folder / id;
}

fs::path record_path(const fs::path& folder, const std::string& id) {
    return folder / (id + ".json");
}

// What <id>.json holds.
struct Record {
    UploadState state;
    bool replace = false;
};

// Written to a temporary file (leading '.'), synced, then renamed over the record: a
// reader or a crash sees the old record or the new one, never a torn one.
void write_record(const fs::path& folder, const Record& record) {
    const nlohmann::json body{{"id", record.state.id},
                              {"name", record.state.name},
                              {"size", record.state.size},
                              {"offset", record.state.offset},
                              {"replace", record.replace}};
    const auto text = body.dump();
    const auto temp = folder / ("." + record.state.id + ".json-" + random_hex(8));
    try {
        const auto file = open_file(temp, O_WRONLY | O_CREAT | O_EXCL);
        write_all(file, temp, text.data(), text.size(), 0);
        sync(file, temp);
    } catch (...) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw;
    }
    if (::rename(temp.c_str(), record_path(folder, record.state.id).c_str()) != 0) {
        const int error = errno;
        std::error_code ignored;
        fs::remove(temp, ignored);
        fail(temp, "rename", error);
    }
    sync_folder(folder);
}

// nullopt when the upload has no (readable) record.
std::optional<Record> read_record(const fs::path& folder, const std::string& id) {
    std::ifstream in(record_path(folder, id));
    if (!in) return std::nullopt;
    const auto body = nlohmann::json::parse(std::istreambuf_iterator<char>(in),
                                            std::istreambuf_iterator<char>(), nullptr, false);
    if (body.is_discarded() || !body.is_object() || body.value("id", "") != id) {
        return std::nullopt;
    }
    Record record;
    record.state.id = id;
    record.state.name = body.value("name", "");
    record.state.size = body.value("size", std::uint64_t{0});
    record.state.offset = body.value("offset", std::uint64_t{0});
    record.replace = body.value("replace", false);
    return record;
}

// An upload opened for a change: its bytes locked, its record read under the lock.
struct LockedUpload {
    FileHandle file;
    Record record;
};

// nullopt when there is no such upload (or, without `wait`, another holds its lock).
std::optional<LockedUpload> open_locked(const fs::path& folder, const std::string& id, bool wait) {
    if (!is_upload_id(id)) return std::nullopt;
    const auto path = bytes_path(folder, id);
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) return std::nullopt;
    if (fd < 0) fail(path, "open", errno);
    FileHandle file(fd);
    if (!lock(file, path, wait) || !still_at(file, path)) return std::nullopt;
    auto record = read_record(folder, id);
    if (!record) return std::nullopt;
    // Bytes past the recorded offset belong to a chunk whose record was never written
    // (a crash between the two); the offset never runs ahead of the bytes either.
    record->state.offset = std::min(record->state.offset, size_of(file, path));
    return LockedUpload{std::move(file), std::move(*record)};
}

void remove_upload_files(const fs::path& folder, const std::string& id) {
    std::error_code ignored;
    // The record first: without it the bytes are no upload, and the sweep takes them.
    fs::remove(record_path(folder, id), ignored);
    fs::remove(bytes_path(folder, id), ignored);
}

// The last byte arrived: the library probes and keeps the file or refuses it (deleting
// it), and the upload ends either way.
Document complete(Platform& platform, const std::string& tenant, const fs::path& folder,
                  const Record& record) {
    struct RemoveRecord {
        fs::path path;
        ~RemoveRecord() {
            std::error_code ignored;
            fs::remove(path, ignored);
        }
    } cleanup{record_path(folder, record.state.id)};
    return MediaLibrary(platform).add(tenant, bytes_path(folder, record.state.id),
                                      record.state.name, record.replace);
}

std::string upload_id_of_record(const std::string& file_name) {
    if (!file_name.ends_with(".json")) return {};
    const auto id = file_name.substr(0, file_name.size() - 5);
    return is_upload_id(id) ? id : std::string();
}

// A stale upload, unless a chunk is being written to it or arrived since it was listed.
// Nobody asked for it: the platform removed it, and says so in the tenant's audit log.
void audit_expiry(auth::AccountStore& store, const std::string& tenant, const Record& record,
                  std::chrono::seconds idle) {
    auth::record_audit(store, {"system",
                               tenant,
                               "upload.expire",
                               record.state.id,
                               "ok",
                               "",
                               {{"name", record.state.name},
                                {"size", record.state.size},
                                {"received", record.state.offset},
                                {"replace", record.replace},
                                {"idle_seconds", idle.count()}}});
}

bool remove_if_idle(const fs::path& folder, const std::string& id, fs::file_time_type cutoff) {
    const auto path = bytes_path(folder, id);
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        const FileHandle file(fd);
        if (!lock(file, path, false)) return false;
        std::error_code ec;
        const auto touched = fs::last_write_time(record_path(folder, id), ec);
        if (!ec && touched >= cutoff) return false;
    }
    remove_upload_files(folder, id);  // under the lock, or a record whose bytes are gone
    return true;
}

}  // namespace

OffsetMismatch::OffsetMismatch(std::uint64_t offset)
    : Error(ErrorKind::invalid_input, "Content-Range: the upload stands at byte " +
                                          std::to_string(offset) +
                                          "; send the chunk starting there"),
      offset_(offset) {}

fs::path UploadSessions::folder(const std::string& tenant) const {
    // Tenants come from the server, never from a request, but they name a folder.
    if (tenant.empty() || tenant.front() == '.' || tenant.find('/') != std::string::npos) {
        throw Error::internal("tenant \"" + tenant + "\": not a folder name");
    }
    return platform_.data_dir / "uploads" / "partial" / tenant;
}

UploadState UploadSessions::announce(const std::string& tenant, const UploadAnnouncement& upload,
                                     std::uint64_t max_size) {
    check_media_name(upload.name);
    if (upload.size == 0) throw FieldError("size", "an upload has at least 1 byte");
    if (upload.size > max_size) {
        throw UploadTooLarge(ErrorKind::invalid_input,
                             "size: " + std::to_string(upload.size) + " bytes is more than the " +
                                 std::to_string(max_size) + " allowed (server.max_upload_bytes)");
    }
    MediaLibrary(platform_).check_can_add(tenant, upload.name, upload.replace);
    remove_stale(tenant);
    const auto dir = folder(tenant);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error::io(dir.string() + ": cannot create: " + ec.message());
    const Record record{{random_hex(kIdDigits), upload.name, upload.size, 0}, upload.replace};
    // The bytes first: a record always has its file (until a crash mid-removal).
    const auto path = bytes_path(dir, record.state.id);
    sync(open_file(path, O_WRONLY | O_CREAT | O_EXCL), path);
    write_record(dir, record);
    return record.state;
}

std::optional<UploadState> UploadSessions::get(const std::string& tenant, const std::string& id) {
    if (!is_upload_id(id)) return std::nullopt;
    const auto dir = folder(tenant);
    const auto record = read_record(dir, id);
    std::error_code ec;
    const auto bytes = fs::file_size(bytes_path(dir, id), ec);
    if (!record || ec) return std::nullopt;
    auto state = record->state;
    state.offset = std::min(state.offset, bytes);  // as open_locked: never past the bytes
    return state;
}

std::optional<ChunkOutcome> UploadSessions::append(const std::string& tenant, const std::string& id,
                                                   std::uint64_t first, const fs::path& chunk) {
    const auto dir = folder(tenant);
    auto upload = open_locked(dir, id, true);
    if (!upload) return std::nullopt;
    auto& state = upload->record.state;
    if (first != state.offset) throw OffsetMismatch(state.offset);
    std::error_code ec;
    const auto bytes = fs::file_size(chunk, ec);
    if (ec) fail(chunk, "stat", ec.value());
    if (bytes == 0 || state.offset >= state.size || bytes > state.size - state.offset) {
        throw FieldError("chunk", std::to_string(bytes) + " bytes from byte " +
                                      std::to_string(first) + " do not fit an upload of " +
                                      std::to_string(state.size) + " bytes");
    }
    const auto path = bytes_path(dir, id);
    if (::ftruncate(upload->file.get(), static_cast<off_t>(state.offset)) != 0) {
        fail(path, "truncate", errno);
    }
    const auto copied = copy_into(upload->file, path, state.offset, chunk);
    if (copied != bytes) throw Error::io(chunk.filename().string() + ": changed while read");
    sync(upload->file, path);  // before the offset that promises these bytes is recorded
    state.offset += copied;
    if (state.offset < state.size) {
        write_record(dir, upload->record);
        return ChunkOutcome{state, std::nullopt, std::nullopt};
    }
    std::optional<std::string> replaced_rev;
    if (upload->record.replace) {
        const auto current = Documents(platform_.tenant_store).get(tenant, state.name);
        if (current) replaced_rev = current->rev;
    }
    auto medium = complete(platform_, tenant, dir, upload->record);
    return ChunkOutcome{state, std::move(medium), replaced_rev};
}

bool UploadSessions::remove(const std::string& tenant, const std::string& id) {
    const auto dir = folder(tenant);
    if (!open_locked(dir, id, true)) return false;
    remove_upload_files(dir, id);
    return true;
}

std::size_t UploadSessions::remove_stale(const std::string& tenant, std::chrono::seconds idle) {
    const auto dir = folder(tenant);
    std::error_code ec;
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        entries.push_back(it->path());
    }
    const auto cutoff = fs::file_time_type::clock::now() - idle;
    std::size_t removed = 0;
    for (const auto& path : entries) {
        const auto touched = fs::last_write_time(path, ec);
        if (ec || touched >= cutoff) continue;
        const auto name = path.filename().string();
        if (const auto id = upload_id_of_record(name); !id.empty()) {
            const auto record = read_record(dir, id);
            if (!remove_if_idle(dir, id, cutoff)) continue;
            ++removed;
            if (record) audit_expiry(platform_.account_store, tenant, *record, idle);
        } else if (name.front() == '.' ||
                   (is_upload_id(name) && !fs::exists(dir / (name + ".json")))) {
            fs::remove(path, ec);  // an unfinished record write, or bytes without a record
        }
    }
    return removed;
}

std::size_t UploadSessions::remove_stale_everywhere(std::chrono::seconds idle) {
    std::error_code ec;
    std::size_t removed = 0;
    for (fs::directory_iterator it(platform_.data_dir / "uploads" / "partial", ec), end;
         !ec && it != end; it.increment(ec)) {
        if (it->is_directory(ec)) removed += remove_stale(it->path().filename().string(), idle);
    }
    return removed;
}

}  // namespace kompo::platform
