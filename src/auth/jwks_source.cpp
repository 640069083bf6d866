#include "auth/jwks_source.hpp"

#include <curl/curl.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "core/error.hpp"

namespace kompo::auth {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxJwksBytes = 1 << 20;  // real key sets are a few KiB
constexpr long kTimeoutSeconds = 10;
constexpr long kConnectTimeoutSeconds = 5;
constexpr long kMaxRedirects = 3;

bool starts_with(const std::string& s, std::string_view prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

struct CurlFree {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

struct Download {
    std::string body;
    bool too_large = false;
};

std::size_t append(char* data, std::size_t size, std::size_t count, void* user) {
    auto& download = *static_cast<Download*>(user);
    if (download.body.size() + size * count > kMaxJwksBytes) {
        download.too_large = true;
        return 0;  // makes curl stop with CURLE_WRITE_ERROR
    }
    download.body.append(data, size * count);
    return size * count;
}

// curl_global_init is not thread-safe and must run once before any handle exists.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

}  // namespace

std::string FileJwks::load() {
    std::error_code ec;
    const auto size = fs::file_size(path_, ec);
    if (ec) throw Error::io("jwks: cannot read " + path_.string() + ": " + ec.message());
    if (size > kMaxJwksBytes) throw Error::io("jwks: " + path_.string() + ": larger than 1 MiB");
    std::ifstream in(path_, std::ios::binary);
    if (!in.is_open()) throw Error::io("jwks: cannot read " + path_.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string HttpsJwks::load() {
    init_curl_once();
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) throw Error::io("jwks: cannot fetch " + url_ + ": curl_easy_init failed");
    Download download;
    char error[CURL_ERROR_SIZE] = "";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, kMaxRedirects);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, kTimeoutSeconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, kConnectTimeoutSeconds);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM in a threaded server
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
    const CURLcode code = curl_easy_perform(c);
    if (download.too_large) throw Error::io("jwks: " + url_ + ": larger than 1 MiB");
    if (code != CURLE_OK) {
        throw Error::io("jwks: cannot fetch " + url_ + ": " +
                        (error[0] ? error : curl_easy_strerror(code)));
    }
    return std::move(download.body);
}

std::unique_ptr<JwksSource> jwks_source(const std::string& location) {
    if (location.empty()) throw Error::invalid("oidc.jwks: empty");
    if (starts_with(location, "https://")) return std::make_unique<HttpsJwks>(location);
    if (starts_with(location, "http://")) {
        throw Error::invalid("oidc.jwks: \"" + location +
                             "\" is plain http; keys must come over https (or from a file)");
    }
    return std::make_unique<FileJwks>(location);
}

}  // namespace kompo::auth
