#include "support/moto_server.hpp"

#include <curl/curl.h>

#include <cstdlib>
#include <stdexcept>

namespace kompo::test {

namespace fs = std::filesystem;

namespace {

fs::path make_folder() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/kompo-s3-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + " failed");
    return pattern;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

}  // namespace

MotoServer::MotoServer() : folder_(make_folder()), port_(free_loopback_port()) {
    const auto log = folder_ / "moto.log";
    process_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{"moto_server", "-H", "127.0.0.1", "-p", std::to_string(port_)},
        log);
    if (!wait_for_port(port_, *process_, std::chrono::seconds(60))) {
        throw std::runtime_error("moto_server did not listen on port " + std::to_string(port_) +
                                 " (scripts/setup says how to get it); its log:\n" + tail_of(log));
    }
}

MotoServer::~MotoServer() {
    process_.reset();
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

std::string MotoServer::endpoint() const {
    return "http://127.0.0.1:" + std::to_string(port_);
}

void MotoServer::create_bucket(const std::string& name) {
    std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) throw std::runtime_error("curl_easy_init failed");
    const auto url = endpoint() + "/" + name;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &discard);
    const auto code = curl_easy_perform(curl.get());
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (code != CURLE_OK || status != 200) {
        throw std::runtime_error("moto: creating bucket " + name + " failed: " +
                                 curl_easy_strerror(code) + ", HTTP " + std::to_string(status));
    }
}

}  // namespace kompo::test
