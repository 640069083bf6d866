#include "blob/s3_request.hpp"

#include <algorithm>
#include <mutex>

#include "core/error.hpp"

namespace kompo::blob {

namespace {

constexpr std::size_t kErrorBodyLimit = 4096;

// curl_global_init is not thread-safe and must run once before any handle exists.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// S3 names what went wrong in <Code>…</Code> of its XML answer.
std::string s3_error_code(const std::string& body) {
    const auto start = body.find("<Code>");
    const auto end = body.find("</Code>");
    if (start == std::string::npos || end == std::string::npos || end < start) return "";
    return body.substr(start + 6, end - start - 6);
}

}  // namespace

S3Request::S3Request(const S3Settings& settings, const std::string& method, const std::string& url,
                     std::string what)
    : what_(std::move(what)) {
    init_curl_once();
    curl_.reset(curl_easy_init());
    if (!curl_) throw Error::internal(what_ + ": cannot create a libcurl handle");
    CURL* c = curl_.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, settings.connect_timeout_seconds);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1024L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, settings.stall_timeout_seconds);
    const auto signing = "aws:amz:" + settings.region + ":s3";
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, signing.c_str());
    curl_easy_setopt(c, CURLOPT_USERNAME, settings.access_key_id.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, settings.secret_access_key.c_str());
    // The payload is not hashed into the signature: the body streams once, from its file.
    curl_slist* list = curl_slist_append(nullptr, "x-amz-content-sha256: UNSIGNED-PAYLOAD");
    // Bodies are sent at once rather than after a "100 Continue" round trip.
    list = curl_slist_append(list, "Expect:");
    if (!settings.session_token.empty()) {
        list = curl_slist_append(list, ("x-amz-security-token: " + settings.session_token).c_str());
    }
    headers_.reset(list);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers_.get());
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &S3Request::take_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, this);
}

void S3Request::upload_from(std::FILE* file, std::uint64_t bytes) {
    curl_easy_setopt(curl_.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_.get(), CURLOPT_READDATA, file);
    curl_easy_setopt(curl_.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(bytes));
}

void S3Request::without_body() {
    curl_easy_setopt(curl_.get(), CURLOPT_NOBODY, 1L);
}

std::size_t S3Request::take_body(char* data, std::size_t size, std::size_t count, void* self) {
    auto& request = *static_cast<S3Request*>(self);
    const std::size_t bytes = size * count;
    long status = 0;
    curl_easy_getinfo(request.curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) {
        if (!request.body_file_) return bytes;
        const auto written = std::fwrite(data, 1, bytes, request.body_file_);
        request.body_write_failed_ = written != bytes;
        return written;
    }
    const auto room = kErrorBodyLimit - std::min(kErrorBodyLimit, request.error_body_.size());
    request.error_body_.append(data, std::min(room, bytes));
    return bytes;
}

long S3Request::perform() {
    const CURLcode code = curl_easy_perform(curl_.get());
    if (body_write_failed_) throw Error::io(what_ + ": cannot write the downloaded object");
    if (code != CURLE_OK) throw Error::io(what_ + ": " + curl_easy_strerror(code));
    long status = 0;
    curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &status);
    return status;
}

std::int64_t S3Request::content_length() const {
    curl_off_t length = -1;
    curl_easy_getinfo(curl_.get(), CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
    return length;
}

void S3Request::fail(long status) const {
    const auto code = s3_error_code(error_body_);
    throw Error::io(what_ + ": answered HTTP " + std::to_string(status) +
                    (code.empty() ? "" : " " + code));
}

}  // namespace kompo::blob
