#include "render/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace kompo::render {

void run_parallel(const std::vector<std::function<void()>>& tasks, int workers,
                  const std::function<void()>& on_failure) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::exception_ptr first_error;
    std::mutex error_mutex;

    auto work = [&] {
        for (std::size_t i = next++; i < tasks.size() && !failed; i = next++) {
            try {
                tasks[i]();
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!failed.exchange(true)) {
                    first_error = std::current_exception();
                    on_failure();
                }
            }
        }
    };
    const int count = std::max(1, std::min<int>(workers, static_cast<int>(tasks.size())));
    std::vector<std::jthread> threads;
    for (int i = 1; i < count; ++i) threads.emplace_back(work);
    work();
    threads.clear();  // joins
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace kompo::render
