#pragma once
// The Model Context Protocol (revision 2025-11-25; 2025-06-18, 2025-03-26 and 2024-11-05
// are also accepted) over JSON-RPC 2.0, independent of the transport: `kompo mcp` reads
// messages from stdin, the server's /mcp from POST bodies. initialize, ping, tools/list
// (the whitelist with each tool's JSON Schema) and tools/call (run by the assistant, in
// the caller's tenant and role). Arguments their schema refuses, and unknown tools, are
// JSON-RPC errors (-32602); a tool that runs but fails is a result with isError.
#include <optional>
#include <string>

#include "assistant/assistant.hpp"

namespace kompo::assistant {

inline constexpr const char* kMcpProtocolVersion = "2025-11-25";
bool mcp_version_supported(const std::string& version);

class McpServer {
  public:
    McpServer(Assistant& assistant, auth::Principal caller, std::string remote)
        : assistant_(assistant), caller_(std::move(caller)), remote_(std::move(remote)) {}

    // The answer to one message; nullopt for a notification or a response.
    std::optional<Json> handle(const Json& message);
    // The same for message text; a parse error is answered with id null.
    std::optional<Json> handle_text(const std::string& text);

  private:
    Json call_tool(const Json& params);

    Assistant& assistant_;
    auth::Principal caller_;
    std::string remote_;
};

}  // namespace kompo::assistant
