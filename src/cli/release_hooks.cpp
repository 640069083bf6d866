// The release `kompo`: no test hooks (see test_hooks.hpp).
#include "cli/test_hooks.hpp"

namespace kompo::cli {

worker::TestHooks test_hooks() {
    return {};
}

}  // namespace kompo::cli
