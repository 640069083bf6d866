#include "cli/assistant_commands.hpp"

#include <cstdlib>
#include <iostream>

#include "assistant/mcp.hpp"
#include "auth/accounts.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"
#include "platform/config.hpp"
#include "platform/quotas.hpp"

namespace kompo::cli {

namespace {

// Who is asking: the holder of $KOMPO_API_TOKEN, else the named user of this machine.
auth::Principal caller_of(platform::Platform& platform, const AssistantFlags& flags) {
    auth::Accounts accounts(platform.account_store);
    if (const char* token = std::getenv("KOMPO_API_TOKEN"); token && *token) {
        if (auto principal = accounts.authenticate(token)) return *principal;
        throw Error::invalid("KOMPO_API_TOKEN: not a live token of this data folder");
    }
    if (flags.user.empty()) throw Error::invalid("--user: required without KOMPO_API_TOKEN");
    const auto found = accounts.find(flags.user);
    if (!found || found->user.disabled)
        throw Error::invalid("--user: no enabled user \"" + flags.user + "\"");
    for (const auto& membership : found->memberships) {
        if (!flags.tenant.empty() && membership.tenant != flags.tenant) continue;
        auth::Principal principal;
        principal.user_id = found->user.id;
        principal.user_name = found->user.name;
        principal.tenant = membership.tenant;
        principal.role = auth::role_from(membership.role).value_or(auth::Role::viewer);
        principal.kind = auth::CredentialKind::api;
        return principal;
    }
    throw Error::invalid("--tenant: \"" + flags.user + "\" is not a member of " + flags.tenant);
}

struct Session {
    std::unique_ptr<platform::Platform> platform;
    platform::LoadedConfig config;
    std::unique_ptr<platform::Quotas> quotas;
    std::unique_ptr<assistant::Assistant> assistant;
};

Session open_session(const SettingFlags& settings) {
    Session session;
    session.config = load_settings(settings);
    session.platform = platform::open_platform(session.config.config);
    session.quotas = std::make_unique<platform::Quotas>(session.platform->tenant_store,
                                                        session.config.config.quotas);
    assistant::AssistantSettings assistant_settings;
    assistant_settings.model = assistant::model_settings_from_environment();
    session.assistant = std::make_unique<assistant::Assistant>(*session.platform, *session.quotas,
                                                               assistant_settings);
    return session;
}

int run_ask(const AssistantFlags& flags, const SettingFlags& store) {
    auto session = open_session(store);
    const auto caller = caller_of(*session.platform, flags);
    const auto answer = session.assistant->ask(caller, {flags.message, flags.komposition, "cli"});
    if (flags.json) {
        std::cout << answer.to_json().dump(2) << "\n";
    } else {
        std::cout << answer.reply << "\n";
        if (answer.proposal) std::cout << (*answer.proposal)["patch"].dump(2) << "\n";
    }
    if (answer.refused) return kInvalidInput;
    if (flags.apply && answer.proposal) {
        const auto& proposal = *answer.proposal;
        assistant::ToolCall apply{"edit_komposition",
                                  {{"id", proposal["id"]},
                                   {"rev", proposal["base_rev"]},
                                   {"edits", answer.calls[0]["arguments"]["edits"]},
                                   {"apply", true}}};
        const auto stored = session.assistant->call_tool(caller, apply, "cli");
        std::cout << "stored as revision " << stored["rev"].get<std::string>() << "\n";
    }
    return kOk;
}

// One JSON-RPC message per line in, one per line out (the MCP stdio transport).
int run_mcp(const AssistantFlags& flags, const SettingFlags& store) {
    auto session = open_session(store);
    assistant::McpServer server(*session.assistant, caller_of(*session.platform, flags), "stdio");
    for (std::string line; std::getline(std::cin, line);) {
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (auto answer = server.handle_text(line)) std::cout << answer->dump() << std::endl;
    }
    return kOk;
}

}  // namespace

void add_assistant_commands(CLI::App& app, AssistantFlags& flags, SettingFlags& store,
                            void (*add_store_flags)(CLI::App*, SettingFlags&)) {
    auto* ask = app.add_subcommand(
        "assistant", "Ask the assistant in words (offline interpreter); prints the proposal");
    ask->add_option("message", flags.message, "What to do, e.g. \"make it 135 BPM\"")->required();
    ask->add_option("--komposition", flags.komposition, "The komposition it is about (its id)");
    ask->add_flag("--apply", flags.apply, "Store the proposed change");
    ask->add_flag("--json", flags.json, "Print the whole answer as JSON");
    auto* mcp = app.add_subcommand(
        "mcp", "Serve the Model Context Protocol on stdin/stdout (for Claude Desktop and others)");
    for (auto* command : {ask, mcp}) {
        command->add_option("--user", flags.user, "Act as this user (without KOMPO_API_TOKEN)");
        command->add_option("--tenant", flags.tenant, "The user's tenant (default: their first)");
        add_store_flags(command, store);
    }
}

std::optional<int> run_assistant_command(const CLI::App& app, const AssistantFlags& flags,
                                         const SettingFlags& store) {
    if (app.got_subcommand("assistant")) return run_ask(flags, store);
    if (app.got_subcommand("mcp")) return run_mcp(flags, store);
    return std::nullopt;
}

}  // namespace kompo::cli
