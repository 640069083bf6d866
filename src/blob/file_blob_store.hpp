#pragma once
// Objects as files under a folder (file:///mnt/artifacts), usually a file system that
// every worker mounts (a ReadWriteMany volume, NFS): object "ab/key.mp4" is the file
// ROOT/ab/key.mp4, written beside its place and renamed into it.
#include "blob/blob_store.hpp"

namespace kompo::blob {

class FileBlobStore final : public BlobStore {
  public:
    // Creates `root` when missing; Error(io) naming the url when it cannot.
    FileBlobStore(std::string url, std::filesystem::path root);

    const std::string& url() const override { return url_; }
    void put(const std::string& key, const std::filesystem::path& source) override;
    bool get(const std::string& key, const std::filesystem::path& destination) override;
    bool exists(const std::string& key) override;
    std::optional<std::uint64_t> size(const std::string& key) override;
    void remove(const std::string& key) override;

  private:
    std::filesystem::path path_of(const std::string& key) const;

    std::string url_;
    std::filesystem::path root_;
};

}  // namespace kompo::blob
