#include "server/http_types.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "core/error.hpp"
#include "core/field_error.hpp"
#include "platform/quotas.hpp"

namespace kompo::server {

std::string Request::header(http::field name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : std::string(found->value());
}

std::string Request::header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : std::string(found->value());
}

std::string Request::query_value(const std::string& name, const std::string& fallback) const {
    const auto found = query.find(name);
    return found == query.end() ? fallback : found->second;
}

nlohmann::json Request::json_body() const {
    try {
        return nlohmann::json::parse(body);
    } catch (const nlohmann::json::parse_error& e) {
        throw HttpError(http::status::bad_request, "malformed_json",
                        std::string("request body: malformed JSON: ") + e.what());
    }
}

std::size_t page_limit(const Request& request) {
    const auto text = request.query_value("limit", "50");
    const auto limit = std::atoi(text.c_str());
    if (limit < 1 || limit > 500) {
        throw HttpError(http::status::bad_request, "bad_parameter",
                        "limit: \"" + text + "\" is not a number from 1 to 500");
    }
    return static_cast<std::size_t>(limit);
}

Reply& Reply::header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::string json_text(const nlohmann::json& value) {
    // Text from the request (a path, a name) may be any bytes: never let it stop an answer.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Reply Reply::json(http::status status, const nlohmann::json& value) {
    return text(status, json_text(value), "application/json");
}

Reply Reply::json_bytes(http::status status, std::string text) {
    return Reply::text(status, std::move(text), "application/json");
}

Reply Reply::ordered_json(http::status status, const nlohmann::ordered_json& value) {
    // Text from the request (a path, a name) may be any bytes: never let it stop an answer.
    return text(status, value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                "application/json");
}

Reply Reply::text(http::status status, std::string body, std::string content_type) {
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    reply.header("Content-Type", std::move(content_type));
    return reply;
}

Reply Reply::error(http::status status, const std::string& code, const std::string& message,
                   const nlohmann::json& extra) {
    nlohmann::json body{{"error", code}, {"message", message}};
    body.update(extra);
    return json(status, body);
}

const auth::Principal& Request::caller() const {
    if (!principal) {
        throw HttpError(http::status::unauthorized, "unauthorized",
                        "sign in: no valid session or token");
    }
    return *principal;
}

Reply reply_for_exception(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const HttpError& e) {
        auto reply = Reply::error(e.status(), e.code(), e.what(), e.extra());
        if (e.extra().contains("retry_after")) {
            reply.header("Retry-After", e.extra()["retry_after"].dump());
        }
        if (e.status() == http::status::unauthorized) {
            reply.header("WWW-Authenticate", "Bearer realm=\"kompost\"");
        }
        return reply;
    } catch (const platform::QuotaExceeded& e) {
        auto reply = Reply::error(
            e.too_large ? http::status::payload_too_large : http::status::too_many_requests,
            "quota_exceeded", e.what(), {{"quota", e.quota}});
        if (e.retry_after_seconds > 0) {
            reply.header("Retry-After", std::to_string(e.retry_after_seconds));
        }
        return reply;
    } catch (const FieldError& e) {
        // The path of the field, as the validator knew it (not read back out of the text).
        return Reply::error(http::status::unprocessable_entity, error_kind_name(e.kind()), e.what(),
                            {{"field", e.field()}});
    } catch (const Error& e) {
        switch (e.kind()) {
            case ErrorKind::invalid_input:
                return Reply::error(http::status::unprocessable_entity, error_kind_name(e.kind()),
                                    e.what());
            case ErrorKind::media:
                return Reply::error(http::status::unprocessable_entity, error_kind_name(e.kind()),
                                    e.what());
            case ErrorKind::io:
                return Reply::error(http::status::service_unavailable, "io", e.what());
            case ErrorKind::cancelled:
                return Reply::error(http::status::conflict, "cancelled", e.what());
            case ErrorKind::internal:
                break;
        }
        return Reply::error(http::status::internal_server_error, "internal", e.what());
    } catch (const std::exception& e) {
        return Reply::error(http::status::internal_server_error, "internal", e.what());
    }
}

}  // namespace kompo::server
