#include "server/router.hpp"

#include "server/stream_reply.hpp"

#include <boost/url/decode_view.hpp>
#include <boost/url/pct_string_view.hpp>

namespace kompo::server {

namespace {

std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t begin = 1;  // paths start with '/'
    while (begin <= path.size()) {
        const auto end = std::min(path.find('/', begin), path.size());
        parts.push_back(path.substr(begin, end - begin));
        begin = end + 1;
    }
    return parts;
}

// nullopt when the segment is not valid percent-encoding.
std::optional<std::string> decoded(const std::string& segment) {
    const auto checked = boost::urls::make_pct_string_view(segment);
    if (!checked) return std::nullopt;
    std::string text;
    for (char c : boost::urls::decode_view(*checked)) text += c;
    return text;
}

bool is_parameter(const std::string& part) {
    return part.size() > 2 && part.front() == '{' && part.back() == '}';
}

bool is_rest_parameter(const std::string& part) {
    return is_parameter(part) && part.ends_with("...}");
}

std::string parameter_name(const std::string& part) {
    const auto name = part.substr(1, part.size() - 2);
    return name.ends_with("...") ? name.substr(0, name.size() - 3) : name;
}

// The parameters when `segments` fit `pattern`; nullopt otherwise.
std::optional<std::map<std::string, std::string>> fit(const std::vector<std::string>& pattern,
                                                      const std::vector<std::string>& segments) {
    std::map<std::string, std::string> params;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_rest_parameter(pattern[i])) {
            if (i >= segments.size()) return std::nullopt;
            std::string rest;
            for (std::size_t j = i; j < segments.size(); ++j) {
                const auto part = decoded(segments[j]);
                if (!part) return std::nullopt;
                rest += (j > i ? "/" : "") + *part;
            }
            params[parameter_name(pattern[i])] = rest;
            return params;
        }
        if (i >= segments.size()) return std::nullopt;
        if (is_parameter(pattern[i])) {
            const auto part = decoded(segments[i]);
            if (!part || part->empty()) return std::nullopt;
            params[parameter_name(pattern[i])] = *part;
        } else if (pattern[i] != segments[i]) {
            return std::nullopt;
        }
    }
    if (pattern.size() != segments.size()) return std::nullopt;
    return params;
}

// A stream route refused by the guard is answered like any refused request, before
// anything is upgraded.
Route guarded(Route route, const RouteGuard& guard) {
    if (route.stream) {
        route.stream = [guard, inner = std::move(route.stream), shown = route](
                           boost::beast::tcp_stream stream,
                           http::request<http::string_body> message, Request request) {
            try {
                guard(shown, request);
            } catch (...) {
                write_reply_and_close(std::move(stream), request,
                                      reply_for_exception(std::current_exception()));
                return;
            }
            inner(std::move(stream), std::move(message), std::move(request));
        };
    } else {
        route.handler = [guard, inner = std::move(route.handler), shown = route](Request& request) {
            guard(shown, request);
            return inner(request);
        };
    }
    return route;
}

}  // namespace

Route route(http::verb method, std::string pattern, std::function<Reply(Request&)> handler,
            BodyKind body) {
    Route made;
    made.method = method;
    made.pattern = std::move(pattern);
    made.body = body;
    made.handler = std::move(handler);
    const bool safe = method == http::verb::get || method == http::verb::head;
    made.permission = safe ? auth::Permission::read : auth::Permission::edit;
    return made;
}

Route stream_route(std::string pattern, StreamHandler stream) {
    Route made;
    made.pattern = std::move(pattern);
    made.stream = std::move(stream);
    return made;
}

void Router::add(Route added) {
    if (guard_) added = guarded(std::move(added), guard_);
    patterns_.push_back(split(added.pattern));
    routes_.push_back(std::move(added));
}

RouteMatch Router::match(http::verb method, const std::string& encoded_path) const {
    RouteMatch result;
    const auto segments = split(encoded_path);
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        const auto& route = routes_[i];
        auto params = fit(patterns_[i], segments);
        if (!params) continue;
        result.path_known = true;
        const bool head_of_get = method == http::verb::head && route.method == http::verb::get;
        if (route.method != method && !head_of_get) continue;
        result.route = &route;
        result.params = std::move(*params);
        return result;
    }
    return result;
}

}  // namespace kompo::server
