#pragma once
// `kompo user`, `kompo token`, `kompo audit`, `kompo quota`: accounts administered from
// the machine itself (the first admin, a forgotten password, a locked-out user).
#include <cstdint>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/setting_flags.hpp"
#include "platform/platform.hpp"

namespace kompo::cli {

struct AccountFlags {
    std::string name;
    std::string tenant = "default";
    std::string role = "editor";
    bool password_stdin = false;
    std::string subject;
    std::string kind = "api";
    std::string label;
    std::string actor;
    std::int64_t limit = 100;
    bool json = false;
    std::string storage;
    std::int64_t concurrent_renders = -1;
    std::int64_t renders_per_day = -1;
    std::string upload;
};

void add_account_commands(CLI::App& app, AccountFlags& flags, SettingFlags& settings,
                          void (*add_store_flags)(CLI::App*, SettingFlags&));
// The exit code of the account command that was given; nullopt when none was.
std::optional<int> run_account_command(const CLI::App& app, const AccountFlags& flags,
                                       const SettingFlags& settings);

}  // namespace kompo::cli
