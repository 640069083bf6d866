#pragma once
// Runs whitelisted tool calls for a caller through the platform's services, in the
// caller's tenant only: ids are looked up there, so another tenant's id is "not found"
// exactly like one that does not exist. Checks the call (tools.hpp) and the caller's
// permission before anything runs.
#include <string>

#include "assistant/interpreter.hpp"
#include "assistant/tools.hpp"
#include "auth/principal.hpp"
#include "platform/analysis_runs.hpp"
#include "platform/platform.hpp"
#include "platform/quotas.hpp"

namespace kompo::assistant {

class ToolRunner {
  public:
    // `analyses`: the server's runs of media analyses (none: made in the caller's thread).
    ToolRunner(platform::Platform& platform, platform::Quotas& quotas,
               platform::AnalysisRuns* analyses = nullptr)
        : platform_(platform), quotas_(quotas), analyses_(analyses) {}

    // The tool's result (JSON). Throws ToolRefused: unknown_tool, invalid_arguments,
    // forbidden (the role lacks the tool's permission), not_found, invalid_edit, quota.
    Json run(const auth::Principal& caller, const ToolCall& call);
    // What the interpreter needs to know of the komposition (empty id: none) and library.
    InterpreterContext context(const auth::Principal& caller, const std::string& komposition_id);

  private:
    Json list_kompositions(const auth::Principal& caller, const Json& arguments);
    Json get_komposition(const auth::Principal& caller, const Json& arguments);
    Json edit_komposition(const auth::Principal& caller, const Json& arguments);
    Json list_media(const auth::Principal& caller);
    Json explain_timing(const auth::Principal& caller, const Json& arguments);
    Json start_render(const auth::Principal& caller, const Json& arguments);
    Json render_status(const auth::Principal& caller, const Json& arguments);
    Json cancel_render(const auth::Principal& caller, const Json& arguments);
    Json make_auto_komposition(const auth::Principal& caller, const Json& arguments);
    std::vector<NamedMedium> media(const auth::Principal& caller);

    platform::Platform& platform_;
    platform::Quotas& quotas_;
    platform::AnalysisRuns* analyses_;
};

}  // namespace kompo::assistant
