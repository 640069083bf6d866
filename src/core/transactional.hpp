#pragma once
// A module's stored rows, reached only inside transactions. Each module that keeps state
// declares the rows it reads and writes (`Rows`: small interfaces of its own) and takes a
// `Transactional<Rows>&`; a store backend (src/store) implements them all. So a decision
// and its record are one atomic change whatever the backend (SQLite now, PostgreSQL next).
#include <functional>

namespace kompo {

template <typename Rows>
class Transactional {
  public:
    virtual ~Transactional() = default;

    // Runs `body` in one read-write transaction that no other writer interleaves with,
    // committed when `body` returns and rolled back when it throws (the exception then
    // propagates). A backend conflict (busy, serialization failure) reruns `body`, so it
    // must not have effects outside the transaction. Rows methods throw Error(internal)
    // on a backend failure.
    virtual void write(const std::function<void(Rows&)>& body) = 0;
    // A consistent read-only snapshot; a write in it fails.
    virtual void read(const std::function<void(Rows&)>& body) = 0;
};

}  // namespace kompo
