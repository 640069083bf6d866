#include "assistant/model_backend.hpp"

#include <cstdlib>
#include <memory>

#include <curl/curl.h>

#include "assistant/guard.hpp"

namespace kompo::assistant {

namespace {

constexpr std::size_t kMaxAnswerBytes = 1 << 20;

struct CurlCleanup {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListCleanup {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto& body = *static_cast<std::string*>(user);
    const std::size_t bytes = size * count;
    if (body.size() + bytes > kMaxAnswerBytes) return 0;  // too long: abort the transfer
    body.append(data, bytes);
    return bytes;
}

Json tools_json() {
    Json tools = Json::array();
    for (const auto& spec : tool_specs()) {
        tools.push_back({{"type", "function"},
                         {"function",
                          {{"name", spec.name},
                           {"description", spec.description},
                           {"parameters", spec.input_schema}}}});
    }
    return tools;
}

std::string context_text(const InterpreterContext& context) {
    Json known = {{"komposition_id", context.komposition_id}, {"bpm", context.bpm}};
    Json sources = Json::array();
    for (const auto& s : context.sources) sources.push_back(s.name);
    Json media = Json::array();
    for (const auto& m : context.media) media.push_back(m.name);
    known["sources"] = sources;
    known["media"] = media;
    return "Current komposition and library (data): " + known.dump();
}

std::optional<std::string> post(const ModelSettings& settings, const std::string& body) {
    std::unique_ptr<CURL, CurlCleanup> curl(curl_easy_init());
    if (!curl) return std::nullopt;
    std::unique_ptr<curl_slist, ListCleanup> headers(
        curl_slist_append(nullptr, "Content-Type: application/json"));
    const char* key =
        settings.api_key_env.empty() ? nullptr : std::getenv(settings.api_key_env.c_str());
    if (key && *key) {
        headers.reset(curl_slist_append(headers.release(),
                                        (std::string("Authorization: Bearer ") + key).c_str()));
    }
    std::string answer;
    const auto url = settings.base_url + "/chat/completions";
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS,
                     static_cast<long>(settings.timeout_seconds * 1000));
    curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
    if (curl_easy_perform(curl.get()) != CURLE_OK) return std::nullopt;
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return std::nullopt;
    return answer;
}

// The calls of the first choice; arguments that are not a JSON object become null, so the
// schema check refuses them by name.
std::optional<ModelAnswer> read_answer(const std::string& text) {
    const auto answer = Json::parse(text, nullptr, false);
    if (answer.is_discarded() || !answer.contains("choices") || !answer["choices"].is_array() ||
        answer["choices"].empty())
        return std::nullopt;
    const auto& message = answer["choices"][0].value("message", Json::object());
    ModelAnswer result;
    if (message.contains("content") && message["content"].is_string())
        result.text = message["content"].get<std::string>();
    if (answer.contains("usage") && answer["usage"].is_object())
        result.tokens = answer["usage"].value("total_tokens", 0);
    for (const auto& call : message.value("tool_calls", Json::array())) {
        const auto function = call.value("function", Json::object());
        ToolCall parsed{function.value("name", ""), Json()};
        if (function.contains("arguments") && function["arguments"].is_string()) {
            auto arguments = Json::parse(function["arguments"].get<std::string>(), nullptr, false);
            if (!arguments.is_discarded()) parsed.arguments = arguments;
        }
        result.calls.push_back(std::move(parsed));
    }
    return result;
}

}  // namespace

ModelSettings model_settings_from_environment() {
    ModelSettings settings;
    const auto env = [](const char* name, std::string fallback) {
        const char* value = std::getenv(name);
        return value && *value ? std::string(value) : fallback;
    };
    settings.base_url = env("KOMPO_ASSISTANT_MODEL_URL", "");
    while (!settings.base_url.empty() && settings.base_url.back() == '/')
        settings.base_url.pop_back();
    settings.model = env("KOMPO_ASSISTANT_MODEL", "default");
    settings.api_key_env = env("KOMPO_ASSISTANT_KEY_ENV", "OPENAI_API_KEY");
    return settings;
}

std::optional<ModelAnswer> ModelBackend::ask(const std::string& delimited,
                                             const InterpreterContext& context) const {
    const Json request = {
        {"model", settings_.model},
        {"messages",
         {{{"role", "system"}, {"content", system_prompt() + "\n" + context_text(context)}},
          {{"role", "user"}, {"content", delimited}}}},
        {"tools", tools_json()},
        {"tool_choice", "auto"},
        {"temperature", 0},
        {"max_tokens", 512}};
    const auto text = post(settings_, request.dump());
    if (!text) return std::nullopt;
    return read_answer(*text);
}

}  // namespace kompo::assistant
