#include "support/credentials.hpp"

#include <algorithm>
#include <mutex>

#include <boost/beast/core/string.hpp>

namespace kompo::test {

namespace {

struct Registry {
    std::mutex mutex;
    std::map<int, HttpHeaders> by_port;
};

Registry& registry() {
    static Registry instance;
    return instance;
}

bool names_a_credential(const HttpHeaders& headers) {
    return std::any_of(headers.begin(), headers.end(), [](const auto& header) {
        for (const char* name : {"Authorization", "Authy", "Cookie"}) {
            if (boost::beast::iequals(header.first, name)) return true;
        }
        return false;
    });
}

}  // namespace

void register_port_credentials(int port, const HttpHeaders& credentials) {
    std::lock_guard lock(registry().mutex);
    registry().by_port[port] = credentials;
}

void forget_port_credentials(int port) {
    std::lock_guard lock(registry().mutex);
    registry().by_port.erase(port);
}

HttpHeaders with_credentials(int port, const HttpHeaders& headers) {
    if (names_a_credential(headers)) return headers;
    std::lock_guard lock(registry().mutex);
    const auto found = registry().by_port.find(port);
    if (found == registry().by_port.end()) return headers;
    HttpHeaders merged = found->second;
    for (const auto& [name, value] : headers) merged[name] = value;
    return merged;
}

}  // namespace kompo::test
