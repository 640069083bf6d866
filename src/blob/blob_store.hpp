#pragma once
// Shared artifact storage: content-addressed objects that workers on different machines
// put and get, behind one narrow interface, chosen by URL (open_blob_store).
// Keys are relative paths such as "ab/ab12…ef.mp4" (workflow::ArtifactFiles::relative_path):
// segments of letters, digits, '.', '_' and '-', none empty or starting with '.'.
// Every call either does all it says or throws core Error (invalid_input for a bad key or
// url, io for a refusal of the file system or the server), naming the url and the key.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace kompo::blob {

class BlobStore {
  public:
    virtual ~BlobStore() = default;

    // The url it was opened with ("file:///mnt/artifacts", "s3://bucket/prefix").
    virtual const std::string& url() const = 0;
    // Stores the file `source` as object `key`: readers see the whole object or none,
    // never a part (a put that fails leaves what was there before). Streamed from the file.
    virtual void put(const std::string& key, const std::filesystem::path& source) = 0;
    // Writes object `key` to `destination`, whole or not at all (into a temporary file
    // beside it, then renamed), streamed. False, and `destination` untouched, when there is
    // no such object.
    virtual bool get(const std::string& key, const std::filesystem::path& destination) = 0;
    virtual bool exists(const std::string& key) = 0;
    // The object's size in bytes; nullopt when there is no such object.
    virtual std::optional<std::uint64_t> size(const std::string& key) = 0;
    // Removes object `key`; a missing object is no error.
    virtual void remove(const std::string& key) = 0;
};

// Where an s3:// store is and who may use it. Defaults < environment (from_environment)
// < what the caller sets (later: the platform's typed config).
struct S3Settings {
    // Scheme, host and port of the S3 API; empty: AWS in `region`. Objects are addressed
    // path-style: endpoint/bucket/prefix/key.
    std::string endpoint;
    std::string region = "us-east-1";
    std::string access_key_id;
    std::string secret_access_key;
    std::string session_token;  // temporary credentials only
    long connect_timeout_seconds = 10;
    // A transfer slower than 1 KiB/s for this long is abandoned.
    long stall_timeout_seconds = 60;

    // AWS's variables: AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL), AWS_REGION (or
    // AWS_DEFAULT_REGION), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
    static S3Settings from_environment();
};

// "file:///absolute/path" (a folder, usually a shared file system; created when missing)
// or "s3://bucket" / "s3://bucket/prefix". Error(invalid_input), one line naming the url,
// for anything else, and for an s3 url without credentials in `s3`.
std::unique_ptr<BlobStore> open_blob_store(const std::string& url,
                                           const S3Settings& s3 = S3Settings::from_environment());

// Throws Error(invalid_input) naming the key when it is not a valid object key.
void check_key(const std::string& key);

}  // namespace kompo::blob
