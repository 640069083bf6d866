#pragma once
// Fetching a komposition's http(s) source into the tenant's media folder, when the
// operator allows it (sources.remote = fetch): only from public addresses (the address
// policy of remote_address.hpp, checked on the addresses actually connected to), no
// redirects, within a size and a time limit, written whole or not at all.
#include <cstdint>
#include <filesystem>
#include <string>

namespace kompo::render {

// Limits from the configuration (sources.remote_max, sources.remote_timeout_seconds).
struct RemoteFetch {
    bool enabled = false;
    std::int64_t max_bytes = 0;
    double timeout_seconds = 0;
    // Loopback addresses allowed too: set only by the test build `kompo-test` (its test
    // hooks), whose e2e tests serve media from a local server. Never from configuration.
    bool loopback_for_tests = false;
};

// The local copy of `url` in `folder` (fetched once; the same url later is the same file).
// Throws Error(invalid_input) naming `where` for a url or address that is not allowed, and
// Error(media) for a download that fails, is too large or too slow.
std::filesystem::path fetch_remote(const std::string& url, const std::filesystem::path& folder,
                                   const RemoteFetch& limits, const std::string& where);

}  // namespace kompo::render
