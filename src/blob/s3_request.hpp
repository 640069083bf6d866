#pragma once
// One signed request to an S3 API with libcurl, the handle and its header list owned for
// the request's lifetime. The body goes to a file only when the answer is a success;
// otherwise the start of the answer is kept for the error message.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include <curl/curl.h>

#include "blob/blob_store.hpp"

namespace kompo::blob {

class S3Request {
  public:
    // `what` names the request in errors ("s3://bucket/prefix: GET ab/key.mp4").
    S3Request(const S3Settings& settings, const std::string& method, const std::string& url,
              std::string what);

    // The request body, streamed from `file` (`bytes` long).
    void upload_from(std::FILE* file, std::uint64_t bytes);
    // Where a successful answer's body goes (when not set, it is discarded).
    void download_to(std::FILE* file) { body_file_ = file; }
    // No body wanted (HEAD).
    void without_body();

    // Sends it: the HTTP status. Error(io) when no answer came (connection, timeout).
    long perform();
    // The answer's Content-Length (-1 when it gave none).
    std::int64_t content_length() const;
    // Error(io): one line, the request, the status and S3's error code.
    [[noreturn]] void fail(long status) const;

  private:
    static std::size_t take_body(char* data, std::size_t size, std::size_t count, void* self);

    struct CurlFree {
        void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
    };
    struct ListFree {
        void operator()(curl_slist* list) const { curl_slist_free_all(list); }
    };
    std::unique_ptr<CURL, CurlFree> curl_;
    std::unique_ptr<curl_slist, ListFree> headers_;
    std::string what_;
    std::FILE* body_file_ = nullptr;
    std::string error_body_;
    bool body_write_failed_ = false;
};

}  // namespace kompo::blob
