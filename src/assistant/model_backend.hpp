#pragma once
// An optional OpenAI-compatible chat-completions server (llama.cpp server, Ollama, vLLM, a
// hosted provider) asked to turn a request into calls of the whitelisted tools. Its
// answer is untrusted like user text: every call it proposes goes through the same checks.
#include <optional>
#include <string>
#include <vector>

#include "assistant/interpreter.hpp"
#include "assistant/tools.hpp"

namespace kompo::assistant {

struct ModelSettings {
    std::string base_url;     // e.g. http://127.0.0.1:8081/v1; empty: no model
    std::string model;        // the model's name
    std::string api_key_env;  // the environment variable holding the key (may be empty)
    double timeout_seconds = 20;
};

// From KOMPO_ASSISTANT_MODEL_URL, KOMPO_ASSISTANT_MODEL and KOMPO_ASSISTANT_KEY_ENV
// (default OPENAI_API_KEY).
ModelSettings model_settings_from_environment();

struct ModelAnswer {
    std::vector<ToolCall> calls;
    std::string text;  // a reply without tool calls
    std::int64_t tokens = 0;
};

class ModelBackend {
  public:
    explicit ModelBackend(ModelSettings settings) : settings_(std::move(settings)) {}
    // nullopt when the server cannot be reached or answers nonsense (the caller falls back
    // to the interpreter). `delimited` is the user's text inside its delimiters.
    std::optional<ModelAnswer> ask(const std::string& delimited,
                                   const InterpreterContext& context) const;
    const ModelSettings& settings() const { return settings_; }

  private:
    ModelSettings settings_;
};

}  // namespace kompo::assistant
