#pragma once
// A render request from the command line: the komposition file read, validated and made
// canonical, its paths made absolute.
#include <string>

#include "cli/commands.hpp"
#include "workflow/request.hpp"

namespace kompo::cli {

workflow::RenderRequest request_from_flags(const std::string& komposition,
                                           const std::string& output, const std::string& media_root,
                                           const RangeFlags& range);

}  // namespace kompo::cli
