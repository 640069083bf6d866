#pragma once
// How long a transaction waits for other connections before it fails, whatever the backend.
#include <chrono>

namespace kompo::store {

struct Patience {
    std::chrono::milliseconds busy_timeout{10'000};  // SQLite's own wait, per attempt
    std::chrono::milliseconds retry_budget{30'000};  // all attempts of one transaction
};

}  // namespace kompo::store
