#pragma once
// `kompo serve` and `kompo config`: the platform's front door and its settings.
#include <map>
#include <string>

#include "cli/signals.hpp"

namespace kompo::cli {

struct ServeFlags {
    std::string config_file;                   // --config
    std::map<std::string, std::string> given;  // setting key → text, for flags that were given
};

int run_serve(const ServeFlags& flags, const SignalWatcher& signals);
int run_config(const ServeFlags& flags);

}  // namespace kompo::cli
