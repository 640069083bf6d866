#pragma once
// The whitelist: every operation the assistant (the interpreter, a model, an MCP client)
// may run, each with the JSON Schema of its arguments and the permission it needs. A call
// of anything else, or with arguments its schema refuses, never runs.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/roles.hpp"
#include "core/error.hpp"

namespace kompo::assistant {

using Json = nlohmann::json;

struct ToolSpec {
    std::string name;
    std::string description;
    Json input_schema;  // JSON Schema (draft 7 keywords, also valid 2020-12)
    auth::Permission permission = auth::Permission::read;
    bool read_only = true;  // no effect on stored state
};

struct ToolCall {
    std::string name;
    Json arguments = Json::object();
};

// Why a call was stopped before it ran; `code` is the audit log's reason.
class ToolRefused : public Error {
  public:
    ToolRefused(std::string code, const std::string& message)
        : Error(ErrorKind::invalid_input, message), code_(std::move(code)) {}
    const std::string& code() const { return code_; }

  private:
    std::string code_;
};

// The whitelist, in a stable order.
const std::vector<ToolSpec>& tool_specs();
// The spec of `name`; throws ToolRefused("unknown_tool") for anything not whitelisted.
const ToolSpec& tool_spec(const std::string& name);
// Checks `call` against its tool's schema and the identifiers' confinement (no path, URL
// or separator in any id or name); throws ToolRefused("invalid_arguments") naming the
// first argument that is wrong.
void check_call(const ToolCall& call);

}  // namespace kompo::assistant
