#include "workflow/request.hpp"

#include "core/error.hpp"

namespace kompo::workflow {

nlohmann::json to_json(const RenderRequest& request) {
    nlohmann::json j{{"komposition", request.komposition},
                     {"media_root", request.media_root},
                     {"output", request.output}};
    if (request.range.from) j["from_beat"] = request.range.from->value();
    if (request.range.to) j["to_beat"] = request.range.to->value();
    if (!request.tenant.empty()) j["tenant"] = request.tenant;
    if (!request.komposition_id.empty()) j["komposition_id"] = request.komposition_id;
    if (request.remote_fetch) {
        j["remote"] = {{"max_bytes", request.remote_max_bytes},
                       {"timeout_seconds", request.remote_timeout_seconds}};
    }
    return j;
}

RenderRequest request_from(const std::string& json_text) {
    try {
        const auto j = nlohmann::json::parse(json_text);
        RenderRequest request;
        request.komposition = j.at("komposition").get<std::string>();
        request.media_root = j.at("media_root").get<std::string>();
        request.output = j.at("output").get<std::string>();
        if (j.contains("from_beat")) request.range.from = Beats(j.at("from_beat").get<double>());
        if (j.contains("to_beat")) request.range.to = Beats(j.at("to_beat").get<double>());
        request.tenant = j.value("tenant", "");
        request.komposition_id = j.value("komposition_id", "");
        if (j.contains("remote")) {
            request.remote_fetch = true;
            request.remote_max_bytes = j.at("remote").at("max_bytes").get<std::int64_t>();
            request.remote_timeout_seconds = j.at("remote").at("timeout_seconds").get<double>();
        }
        return request;
    } catch (const nlohmann::json::exception& e) {
        throw Error::internal(std::string("stored render request: ") + e.what());
    }
}

}  // namespace kompo::workflow
