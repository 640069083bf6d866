#pragma once
// Cancellation and progress reporting for the frame loops of segments and the join.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "media/execute.hpp"

namespace kompo::media {

class PieceProgress {
  public:
    PieceProgress(const ExecContext& ctx, std::string where)
        : ctx_(ctx), where_(std::move(where)) {}

    // Throws Error(cancelled) once another thread has asked to stop.
    void check_cancelled() const {
        if (ctx_.cancelled && ctx_.cancelled->load(std::memory_order_relaxed)) {
            throw Error::cancelled(where_ + ": cancelled");
        }
    }

    // `done` frames are finished; reported every few frames and at `total`.
    void report(FrameCount done, FrameCount total) const {
        if (ctx_.on_progress && (done.value() % kEvery == 0 || done == total)) {
            ctx_.on_progress(done.value());
        }
    }

  private:
    static constexpr std::int64_t kEvery = 8;
    const ExecContext& ctx_;
    std::string where_;
};

}  // namespace kompo::media
