#pragma once
// While one lives, this thread's reads of the platform's store are one read transaction
// (store::Store::read_together): for a few brief reads that belong together, such as a
// request's credential check and its answer, which then pay for one transaction instead
// of two. Writes are not part of it, and its reads do not see them: hold one around reads
// only. On a backend that does not join reads, each read stays its own transaction.
#include <memory>

namespace kompo::store {
class ReadScope;
}

namespace kompo::platform {

struct Platform;

class ReadsTogether {
  public:
    explicit ReadsTogether(Platform& platform);
    ~ReadsTogether();
    ReadsTogether(const ReadsTogether&) = delete;
    ReadsTogether& operator=(const ReadsTogether&) = delete;

  private:
    std::unique_ptr<store::ReadScope> scope_;
};

}  // namespace kompo::platform
