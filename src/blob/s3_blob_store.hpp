#pragma once
// Objects in an S3-compatible bucket (s3://bucket/prefix): each call one request, signed
// with AWS Signature V4 by libcurl (CURLOPT_AWS_SIGV4) and sent with an unsigned payload
// (x-amz-content-sha256: UNSIGNED-PAYLOAD), so a body is streamed from or to its file
// without being read twice or held in memory. A PUT is atomic in S3 itself: the object
// appears when the whole body has arrived. One PUT carries at most 5 GiB (multipart
// uploads would lift that; artifacts are far smaller).
#include "blob/blob_store.hpp"

namespace kompo::blob {

class S3BlobStore final : public BlobStore {
  public:
    // `prefix` without leading or trailing '/', possibly empty.
    S3BlobStore(std::string url, std::string bucket, std::string prefix, S3Settings settings);

    const std::string& url() const override { return url_; }
    void put(const std::string& key, const std::filesystem::path& source) override;
    bool get(const std::string& key, const std::filesystem::path& destination) override;
    bool exists(const std::string& key) override;
    std::optional<std::uint64_t> size(const std::string& key) override;
    void remove(const std::string& key) override;

  private:
    std::string object_url(const std::string& key) const;

    std::string url_;
    std::string bucket_;
    std::string prefix_;
    S3Settings settings_;
};

}  // namespace kompo::blob
