#pragma once
#include <functional>
#include <vector>

namespace kompo::render {

// Runs `tasks` on `workers` threads. When a task throws, the tasks not yet started are
// skipped, `on_failure` is called once (to stop the running ones), and the first
// exception is rethrown after all threads have joined.
void run_parallel(const std::vector<std::function<void()>>& tasks, int workers,
                  const std::function<void()>& on_failure);

}  // namespace kompo::render
