// POST /api/v1/assistant/messages: a request in words about the caller's komposition; the
// answer, with the proposed change (edited komposition and JSON Patch) to accept or reject.
// Accepting is an ordinary PUT of the proposal to /api/v1/kompositions/{id}.
#include "assistant/assistant.hpp"
#include "server/metrics.hpp"
#include "server/routes.hpp"

namespace kompo::server {

void add_mcp_routes(Router& router, std::shared_ptr<assistant::Assistant> assistant);

namespace {

std::string string_member(const nlohmann::json& body, const char* key, bool required) {
    if (!body.contains(key)) {
        if (required)
            throw HttpError(http::status::bad_request, "invalid_request",
                            std::string(key) + ": required");
        return "";
    }
    if (!body[key].is_string())
        throw HttpError(http::status::bad_request, "invalid_request",
                        std::string(key) + ": must be a string");
    return body[key].get<std::string>();
}

}  // namespace

void add_assistant_routes(Router& router, ServiceContext& services) {
    assistant::AssistantSettings settings;
    settings.model = assistant::model_settings_from_environment();
    settings.analyses = &services.analyses;
    auto shared =
        std::make_shared<assistant::Assistant>(services.platform, services.quotas, settings);
    services.metrics.add_section([shared] { return shared->metrics_text(); });
    router.add(route(http::verb::post, "/api/v1/assistant/messages", [shared](Request& request) {
                   const auto body = request.json_body();
                   if (!body.is_object())
                       throw HttpError(http::status::bad_request, "invalid_request",
                                       "request body: not a JSON object");
                   const assistant::AskRequest ask{string_member(body, "message", true),
                                                   string_member(body, "komposition_id", false),
                                                   request.remote_address};
                   const auto answer = shared->ask(request.caller(), ask);
                   return Reply::json(http::status::ok, answer.to_json());
               }).needs(auth::Permission::read));
    add_mcp_routes(router, shared);
}

}  // namespace kompo::server
