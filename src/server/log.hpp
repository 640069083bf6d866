#pragma once
// The server logs through the shared JSON logger (src/logging/), under its old names.
#include "logging/log.hpp"

namespace kompo::server {

using logging::AccessRecord;
using logging::Log;

}  // namespace kompo::server
