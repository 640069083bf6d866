#include "assistant/mcp.hpp"

#include <array>

namespace kompo::assistant {

namespace {

constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;

constexpr std::array kVersions = {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"};

Json error_response(const Json& id, int code, const std::string& message) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", message}}}};
}

Json result_response(const Json& id, Json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

// A JSON-RPC error raised while answering.
struct RpcError {
    int code;
    std::string message;
};

Json tools_list() {
    Json tools = Json::array();
    for (const auto& spec : tool_specs()) {
        tools.push_back({{"name", spec.name},
                         {"description", spec.description},
                         {"inputSchema", spec.input_schema},
                         {"annotations",
                          {{"readOnlyHint", spec.read_only},
                           {"destructiveHint", false},
                           {"openWorldHint", false}}}});
    }
    return {{"tools", tools}};
}

Json initialize_result(const Json& params) {
    const auto asked = params.value("protocolVersion", std::string());
    return {{"protocolVersion", mcp_version_supported(asked) ? asked : kMcpProtocolVersion},
            {"capabilities", {{"tools", {{"listChanged", false}}}}},
            {"serverInfo", {{"name", "kompo"}, {"title", "Kompost"}, {"version", "0.1.0"}}},
            {"instructions",
             "Edits, explains and renders the caller's kompositions (beat-grid music videos)."}};
}

}  // namespace

bool mcp_version_supported(const std::string& version) {
    for (const char* known : kVersions) {
        if (version == known) return true;
    }
    return false;
}

Json McpServer::call_tool(const Json& params) {
    if (!params.is_object() || !params.contains("name") || !params["name"].is_string())
        throw RpcError{kInvalidParams, "tools/call: params.name must be a string"};
    ToolCall call{params["name"].get<std::string>(), params.value("arguments", Json::object())};
    if (!call.arguments.is_object())
        throw RpcError{kInvalidParams, "tools/call: params.arguments must be an object"};
    try {
        const auto result = assistant_.call_tool(caller_, call, remote_);
        return {{"content", {{{"type", "text"}, {"text", describe_result(call, result)}}}},
                {"structuredContent", result},
                {"isError", false}};
    } catch (const ToolRefused& refused) {
        if (refused.code() == "invalid_arguments" || refused.code() == "unknown_tool")
            throw RpcError{kInvalidParams, refused.what()};
        return {{"content", {{{"type", "text"}, {"text", refused.what()}}}}, {"isError", true}};
    }
}

std::optional<Json> McpServer::handle(const Json& message) {
    if (!message.is_object() || message.value("jsonrpc", "") != "2.0")
        return error_response(nullptr, kInvalidRequest, "not a JSON-RPC 2.0 message");
    const bool is_request = message.contains("id") && message.contains("method");
    if (!message.contains("method")) return std::nullopt;  // a response: nothing to answer
    if (!message["method"].is_string())
        return error_response(message.value("id", Json()), kInvalidRequest,
                              "method must be a string");
    const auto method = message["method"].get<std::string>();
    if (!is_request) return std::nullopt;  // notifications (initialized, cancelled)
    const auto& id = message["id"];
    if (!id.is_string() && !id.is_number_integer())
        return error_response(nullptr, kInvalidRequest, "id must be a string or an integer");
    const Json params = message.value("params", Json::object());
    try {
        if (method == "initialize") return result_response(id, initialize_result(params));
        if (method == "ping") return result_response(id, Json::object());
        if (method == "tools/list") return result_response(id, tools_list());
        if (method == "tools/call") return result_response(id, call_tool(params));
        return error_response(id, kMethodNotFound, method + ": no such method");
    } catch (const RpcError& error) {
        return error_response(id, error.code, error.message);
    }
}

std::optional<Json> McpServer::handle_text(const std::string& text) {
    const auto message = Json::parse(text, nullptr, false);
    if (message.is_discarded()) return error_response(nullptr, kParseError, "malformed JSON");
    if (message.is_array())
        return error_response(nullptr, kInvalidRequest, "batches are not part of this revision");
    return handle(message);
}

}  // namespace kompo::assistant
