#pragma once
// The flags that set configuration keys (--config, --data-dir, --store, --lease, ...): every
// command reads the same platform::Config, filled defaults < file < environment < these.
#include <map>
#include <string>

#include "platform/config.hpp"

namespace kompo::cli {

struct SettingFlags {
    std::string config_file;                   // --config; empty: $KOMPO_CONFIG, else none
    std::map<std::string, std::string> given;  // setting key → text, for flags that were given
};

inline platform::LoadedConfig load_settings(const SettingFlags& flags) {
    return platform::load_config(flags.config_file, flags.given);
}

}  // namespace kompo::cli
