#pragma once
// One function per `kompo` subcommand. Each returns its exit code; errors are thrown as
// kompo::Error and mapped to exit codes in main.
#include <atomic>
#include <optional>
#include <string>

#include "komposition/timeline.hpp"

namespace kompo::cli {

// --from-beat/--to-beat: parsed straight into beats (main.cpp).
using RangeFlags = komp::RenderRange;

struct RenderFlags {
    std::string komposition;
    std::string output;
    std::string media_root;
    RangeFlags range;
    int threads = 0;
    std::string progress = "auto";
};

struct PlanFlags {
    std::string komposition;
    std::string media_root;
    RangeFlags range;
};

int run_validate(const std::string& komposition);
int run_probe(const std::string& file);
int run_plan(const PlanFlags& flags);
int run_canonical(const std::string& komposition, const std::string& output);

}  // namespace kompo::cli
