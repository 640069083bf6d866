#pragma once
// `kompo serve` and `kompo config`: the platform's front door and its settings.
#include "cli/setting_flags.hpp"
#include "cli/signals.hpp"

namespace kompo::cli {

int run_serve(const SettingFlags& flags, const SignalWatcher& signals);
int run_config(const SettingFlags& flags);

}  // namespace kompo::cli
