#pragma once
// What the row tests of every backend share with the SQLite-only ones.
#include <future>
#include <string>

#include "store/row_names.hpp"

namespace kompo::store::rows_test {

using Transaction = workflow::WorkflowRows;

inline constexpr Millis kNow = 1'700'000'000'000;

inline Execution execution(const std::string& id, Millis created_at,
                           ExecutionState state = ExecutionState::queued) {
    Execution e;
    e.id = id;
    e.state = state;
    e.created_at = created_at;
    return e;
}

// Sets the promise when the scope ends, however it ends, so a blocked writer never hangs
// the test.
struct Release {
    std::promise<void>& promise;
    ~Release() { promise.set_value(); }
};

// Writes on another thread and holds the write lock from `locked` until `released`. A
// write that fails before it holds the lock fails `locked`, so the caller never hangs.
inline std::future<void> hold_write_lock(Store& store, std::promise<void>& locked,
                                         std::future<void>& released) {
    return std::async(std::launch::async, [&] {
        bool holding = false;
        try {
            store.write([&](Transaction& t) {
                t.insert_execution(execution("during", kNow + 1));
                holding = true;
                locked.set_value();
                released.wait();
            });
        } catch (...) {
            if (!holding) locked.set_exception(std::current_exception());
            throw;
        }
    });
}

}  // namespace kompo::store::rows_test
