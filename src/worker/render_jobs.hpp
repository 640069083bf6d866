#pragma once
// An execution's request as typed values: the komposition parsed from its stored canonical
// text (the range is `Beats` from the flag or body parser on: workflow/request.hpp). Validated
// once, at submit (cli/document.cpp, platform/renders.cpp): what the store holds is that validated
// document, so the steps only decode it, and each worker process decodes an execution's request
// once for all the steps it runs of it.
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "komposition/komposition.hpp"
#include "workflow/engine.hpp"

namespace kompo::worker {

struct RenderJob {
    workflow::RenderRequest stored;  // its range is in beats already
    komp::Komposition komposition;
};

// The decoded requests of the last few executions this worker ran steps of. Thread-safe.
class RenderJobs {
  public:
    std::shared_ptr<const RenderJob> of(const workflow::Execution& execution);

  private:
    static constexpr std::size_t kKept = 16;
    std::mutex mutex_;
    std::map<std::string, std::shared_ptr<const RenderJob>> by_execution_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace kompo::worker
