#pragma once
// The read-only connections behind SqliteStore::read: opened as reads need them, up to a
// limit, and reused, so that reads run beside each other and beside the writer (WAL gives
// each read its own snapshot) instead of queueing on the connection that writes use.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/sqlite_handles.hpp"

namespace kompo::store {

class Readers {
  public:
    Readers(std::string path, std::chrono::milliseconds busy_timeout, std::size_t max_open);
    ~Readers();
    Readers(const Readers&) = delete;
    Readers& operator=(const Readers&) = delete;

    struct Reader;
    // One connection, held for one read; given back when the lease ends.
    class Lease {
      public:
        Lease(Readers& readers, std::unique_ptr<Reader> reader);
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Db db() const;

      private:
        Readers& readers_;
        std::unique_ptr<Reader> reader_;
    };

    // An idle connection, a new one while fewer than `max_open` are open, else the next
    // one given back. Error(io) when a new one cannot be opened.
    Lease acquire();

  private:
    std::unique_ptr<Reader> open() const;
    void give_back(std::unique_ptr<Reader> reader) noexcept;

    std::string path_;
    std::chrono::milliseconds busy_timeout_;
    std::size_t max_open_;
    std::mutex mutex_;
    std::condition_variable given_back_;
    std::vector<std::unique_ptr<Reader>> idle_;
    std::size_t open_ = 0;
};

}  // namespace kompo::store
