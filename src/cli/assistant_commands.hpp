#pragma once
// `kompo assistant` (one request in words, answered by the embedded interpreter) and
// `kompo mcp` (the Model Context Protocol over stdin/stdout), as a user of this machine's
// data folder: the API token in $KOMPO_API_TOKEN, or --user NAME (machine-local, like
// `kompo user`).
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/setting_flags.hpp"
#include "platform/platform.hpp"

namespace kompo::cli {

struct AssistantFlags {
    std::string message;
    std::string komposition;
    std::string user;
    std::string tenant;
    bool apply = false;
    bool json = false;
};

void add_assistant_commands(CLI::App& app, AssistantFlags& flags, SettingFlags& store,
                            void (*add_store_flags)(CLI::App*, SettingFlags&));
// The exit code of the assistant command that was given; nullopt when none was.
std::optional<int> run_assistant_command(const CLI::App& app, const AssistantFlags& flags,
                                         const SettingFlags& store);

}  // namespace kompo::cli
