#pragma once
// What the test clients (http_client.cpp, ws_client.cpp) share: driving one Beast
// operation at a time on a private io_context under the stream's deadline, and headers.
// Kept out of the clients' own headers so tests don't see Boost.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/http_client.hpp"

namespace kompo::test::detail {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

inline std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

inline tcp::endpoint loopback(int port) {
    return {net::ip::address_v4::loopback(), static_cast<unsigned short>(port)};
}

inline std::string host_header(int port) {
    return "127.0.0.1:" + std::to_string(port);
}

// Starts one asynchronous operation (`start` gets its completion handler) and runs the
// io_context until it completes; its error. Deadlines come from beast::tcp_stream's timer.
template <class Start>
beast::error_code run_op(net::io_context& ioc, Start&& start) {
    std::optional<beast::error_code> result;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    while (!result && ioc.run_one() > 0) {
    }
    return result.value_or(net::error::operation_aborted);
}

// Runs handlers until `done()` holds, the deadline passes or nothing is left to run;
// whether `done()` holds. Operations still pending at the deadline stay pending.
template <class Done>
bool pump_until(net::io_context& ioc, Clock::time_point deadline, Done done) {
    while (!done()) {
        if (ioc.stopped()) ioc.restart();
        if (ioc.run_one_until(deadline) == 0) return done();
    }
    return true;
}

// Caller's headers last, so they override ours; an empty value removes the header.
inline void apply_headers(beast::http::fields& fields, const HttpHeaders& headers) {
    for (const auto& [name, value] : headers) {
        if (value.empty()) {
            fields.erase(name);
        } else {
            fields.set(name, value);
        }
    }
}

// Lower-case names; a repeated header's values joined with ", ".
inline std::map<std::string, std::string> lower_case_headers(const beast::http::fields& fields) {
    std::map<std::string, std::string> out;
    for (const auto& field : fields) {
        const std::string value(field.value());
        auto [it, inserted] = out.emplace(lower(std::string(field.name_string())), value);
        if (!inserted) it->second += ", " + value;
    }
    return out;
}

}  // namespace kompo::test::detail
