#pragma once
// The assistant's pipeline: caps and quotas → invisible characters stripped → injection
// detection → understanding (the embedded interpreter, or a model when one is set up and
// answers) → domain lock → whitelisted tool calls, checked and run in the caller's tenant
// → an answer built only from their results. Edits asked for in words are proposals (the
// edited komposition and its JSON Patch), stored only when the user accepts them. Every
// request and every decision goes to the audit log.
#include <memory>
#include <optional>
#include <string>

#include "assistant/model_backend.hpp"
#include "assistant/tool_runner.hpp"
#include "assistant/usage.hpp"

namespace kompo::assistant {

struct AskRequest {
    std::string message;
    std::string komposition_id;  // the komposition open in the editor; may be empty
    std::string remote;          // the client's address, for the audit log
};

struct Answer {
    std::string reply;  // for the person
    bool refused = false;
    std::string reason;            // why refused: too_long, rate, quota, injection, off_topic, ...
    Json calls = Json::array();    // [{name, arguments, result}] of the calls that ran
    std::optional<Json> proposal;  // edit_komposition's result (komposition, patch, base_rev)
    std::string backend = "interpreter";
    std::string notice;  // e.g. the model was unreachable: the interpreter answered
    std::int64_t tokens = 0;

    Json to_json() const;
};

struct AssistantSettings {
    AssistantLimits limits;
    ModelSettings model;  // empty base_url: the embedded interpreter only
    // The server's runs of media analyses (make_auto_komposition); none: made in place.
    platform::AnalysisRuns* analyses = nullptr;
};

class Assistant {
  public:
    Assistant(platform::Platform& platform, platform::Quotas& quotas, AssistantSettings settings,
              Clock clock = system_clock());

    Answer ask(const auth::Principal& caller, const AskRequest& request);
    // One tool call from an MCP client: the same checks, quotas and audit as ask().
    // Throws ToolRefused; the MCP layer maps invalid_arguments and unknown_tool to
    // JSON-RPC errors and the rest to tool errors.
    Json call_tool(const auth::Principal& caller, const ToolCall& call, const std::string& remote);
    std::string metrics_text() const { return meter_.metrics_text(); }

  private:
    Answer understand(const auth::Principal& caller, const std::string& clean,
                      const InterpreterContext& context);
    void run_calls(const auth::Principal& caller, const std::vector<ToolCall>& calls,
                   Answer& answer);
    Answer refuse(Answer answer, const Refusal& refusal);
    void audit(const auth::Principal& caller, const std::string& action, const std::string& target,
               const std::string& remote, const std::string& outcome, Json detail);

    platform::Platform& platform_;
    ToolRunner tools_;
    UsageMeter meter_;
    std::unique_ptr<ModelBackend> model_;  // null: interpreter only
};

// What the person reads for a call's result.
std::string describe_result(const ToolCall& call, const Json& result);

}  // namespace kompo::assistant
