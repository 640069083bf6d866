#pragma once
// Test hooks (fault injection, loopback fetches) reach a worker only through this call.
// `kompo` links release_hooks.cpp: no hooks, and no KOMPO_TEST_* variable is read.
// `kompo-test` (built with the tests, run by the e2e tests that need hooks) links
// tests/hooks/test_hooks.cpp instead, which reads them from the environment.
#include "worker/worker.hpp"

namespace kompo::cli {

worker::TestHooks test_hooks();

}  // namespace kompo::cli
