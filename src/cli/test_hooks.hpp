#pragma once
// Test hooks (fault injection, loopback fetches) reach a worker only through test_hooks(),
// and `kompo status --watch` only through status_poll().
// `kompo` links release_hooks.cpp: no hooks, and no KOMPO_TEST_* variable is read.
// `kompo-test` (built with the tests, run by the e2e tests that need hooks) links
// tests/hooks/test_hooks.cpp instead, which reads them from the environment.
#include <chrono>

#include "worker/worker.hpp"

namespace kompo::cli {

worker::TestHooks test_hooks();

// How long `kompo status --watch` waits for a change hint before it reads anyway: `usual`
// in `kompo`; KOMPO_TEST_STATUS_POLL_MS in `kompo-test`, so that a test can show a watch
// carried by the hints alone.
std::chrono::milliseconds status_poll(std::chrono::milliseconds usual);

}  // namespace kompo::cli
