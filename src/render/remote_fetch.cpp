#include "render/remote_fetch.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <vector>

#include "core/error.hpp"
#include "core/random_hex.hpp"
#include "render/remote_address.hpp"

namespace kompo::render {

namespace fs = std::filesystem;
namespace ip = boost::asio::ip;

namespace {

struct CurlFree {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct CurlUrlFree {
    void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
struct CurlListFree {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
struct FileClose {
    void operator()(std::FILE* file) const { std::fclose(file); }
};

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct UrlParts {
    std::string scheme;
    std::string host;
    std::string port;
    std::string path;
};

UrlParts parts_of(const std::string& url, const std::string& where) {
    std::unique_ptr<CURLU, CurlUrlFree> parsed(curl_url());
    if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
        throw Error::invalid(where + ": not a valid url");
    }
    const auto part = [&](CURLUPart which, unsigned flags = 0) {
        char* text = nullptr;
        std::string value;
        if (curl_url_get(parsed.get(), which, &text, flags) == CURLUE_OK && text) value = text;
        curl_free(text);
        return value;
    };
    UrlParts parts{part(CURLUPART_SCHEME), part(CURLUPART_HOST),
                   part(CURLUPART_PORT, CURLU_DEFAULT_PORT), part(CURLUPART_PATH)};
    if (!part(CURLUPART_USER).empty()) throw Error::invalid(where + ": no user names in urls");
    if (parts.host.size() > 2 && parts.host.front() == '[') {
        parts.host = parts.host.substr(1, parts.host.size() - 2);
    }
    return parts;
}

std::vector<ip::address> checked_addresses(const std::string& host, const RemoteFetch& limits,
                                           const std::string& where) {
    boost::system::error_code ec;
    const auto literal = ip::make_address(host, ec);
    if (!ec && literal.is_loopback() && limits.loopback_for_tests) return {literal};
    try {
        return resolve_remote_host(host);
    } catch (const Error& e) {
        throw Error(e.kind(), where + ": " + e.what());
    }
}

// The file a url is kept as: its hash, and the extension its path ends with.
fs::path local_name(const std::string& url, const std::string& path) {
    unsigned char digest[16];
    crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(url.data()),
                       url.size(), nullptr, 0);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string name;
    for (unsigned char byte : digest) {
        name += kHex[byte >> 4];
        name += kHex[byte & 15];
    }
    const auto extension = fs::path(path).extension().string();
    const bool plain = extension.size() <= 8 &&
                       std::all_of(extension.begin(), extension.end(),
                                   [](unsigned char c) { return std::isalnum(c) || c == '.'; });
    return name + (plain ? extension : std::string());
}

struct Download {
    std::FILE* file = nullptr;
    std::int64_t written = 0;
    std::int64_t max_bytes = 0;
    bool too_large = false;
};

std::size_t write_to_file(char* data, std::size_t size, std::size_t count, void* user) {
    auto& download = *static_cast<Download*>(user);
    const auto bytes = static_cast<std::int64_t>(size * count);
    if (download.written + bytes > download.max_bytes) {
        download.too_large = true;
        return 0;
    }
    download.written += bytes;
    return std::fwrite(data, 1, size * count, download.file);
}

// Every socket curl opens goes to an address the policy allows (the pinned ones; this is
// the last word should anything else be tried).
curl_socket_t open_allowed_socket(void* user, curlsocktype, curl_sockaddr* address) {
    const auto& limits = *static_cast<const RemoteFetch*>(user);
    ip::address target;
    if (address->family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(&address->addr);
        target = ip::address_v4(ntohl(in->sin_addr.s_addr));
    } else if (address->family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&address->addr);
        ip::address_v6::bytes_type bytes;
        std::copy(std::begin(in6->sin6_addr.s6_addr), std::end(in6->sin6_addr.s6_addr),
                  bytes.begin());
        target = ip::address_v6(bytes);
    } else {
        return CURL_SOCKET_BAD;
    }
    const bool allowed =
        remote_address_allowed(target) || (target.is_loopback() && limits.loopback_for_tests);
    if (!allowed) return CURL_SOCKET_BAD;
    return socket(address->family, address->socktype, address->protocol);
}

void download(const std::string& url, const UrlParts& parts,
              const std::vector<ip::address>& addresses, const fs::path& into,
              const RemoteFetch& limits, const std::string& where) {
    init_curl_once();
    std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
    if (!curl) throw Error::media(where + ": cannot fetch: curl_easy_init failed");
    std::unique_ptr<std::FILE, FileClose> file(std::fopen(into.c_str(), "wb"));
    if (!file) throw Error::io(where + ": cannot write the fetched copy");
    // Connect to the addresses checked, never to what a second lookup might answer.
    std::string pinned = parts.host + ":" + parts.port + ":";
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const auto text = addresses[i].to_string();
        pinned += (i ? "," : "") + (addresses[i].is_v6() ? "[" + text + "]" : text);
    }
    std::unique_ptr<curl_slist, CurlListFree> resolve(curl_slist_append(nullptr, pinned.c_str()));
    Download progress{file.get(), 0, limits.max_bytes, false};
    char error[CURL_ERROR_SIZE] = "";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROXY, "");  // never through a proxy from the environment
    curl_easy_setopt(c, CURLOPT_RESOLVE, resolve.get());
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_allowed_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &limits);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(limits.timeout_seconds * 1000));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(limits.max_bytes));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_to_file);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &progress);
    const auto rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    // On disk before it is renamed into place: a crash never leaves a short copy kept.
    const bool flushed = std::fflush(file.get()) == 0 && ::fsync(::fileno(file.get())) == 0;
    if (progress.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        throw Error::media(where + ": larger than " + std::to_string(limits.max_bytes) +
                           " bytes (sources.remote_max_bytes, or what the storage quota has left)");
    }
    if (rc == CURLE_OK && status >= 300) {
        throw Error::media(where + ": answered " + std::to_string(status) +
                           " (redirects are not followed: name the file's own address)");
    }
    if (rc != CURLE_OK) {
        throw Error::media(
            where + ": cannot fetch: " + (error[0] ? std::string(error) : curl_easy_strerror(rc)));
    }
    if (!flushed) throw Error::io(where + ": cannot write the fetched copy");
}

}  // namespace

fs::path fetch_remote(const std::string& url, const fs::path& folder, const RemoteFetch& limits,
                      const std::string& where) {
    const auto parts = parts_of(url, where);
    if (parts.scheme != "http" && parts.scheme != "https") {
        throw Error::invalid(where + ": only http and https urls are fetched");
    }
    const auto addresses = checked_addresses(parts.host, limits, where);
    const auto kept = folder / local_name(url, parts.path);
    std::error_code ec;
    if (fs::is_regular_file(kept, ec)) return kept;
    fs::create_directories(folder, ec);
    if (ec) throw Error::io(where + ": cannot create the folder of fetched media");
    const auto partial = folder / (".partial-" + random_hex(8));
    try {
        download(url, parts, addresses, partial, limits, where);
    } catch (...) {
        fs::remove(partial, ec);
        throw;
    }
    fs::rename(partial, kept, ec);  // whole or not at all
    if (ec) {
        fs::remove(partial, ec);
        throw Error::io(where + ": cannot keep the fetched copy");
    }
    return kept;
}

}  // namespace kompo::render
