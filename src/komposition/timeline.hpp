#pragma once
// The beat grid's time maths, exactly as the contract's "Time" section says.
#include <optional>

#include "core/units.hpp"
#include "komposition/komposition.hpp"

namespace kompo::komp {

struct RenderRange {
    std::optional<Beats> from;  // overrides beatpattern.frombeat
    std::optional<Beats> to;    // overrides beatpattern.tobeat
};

class Timeline {
  public:
    Timeline(const Komposition& komposition, const RenderRange& range = {});

    double bpm() const { return bpm_; }
    Beats from() const { return from_; }
    Beats to() const { return to_; }
    FrameRate frame_rate() const { return frame_rate_; }

    // t(b) = (b - from) * 60 / bpm_eff
    Seconds time_of(Beats b) const { return Seconds((b.value() - from_.value()) * 60.0 / bpm_); }
    // F(b) = round(t(b) * fps)
    FrameIndex frame_of(Beats b) const { return frame_rate_.frame_at(time_of(b)); }
    FrameCount total_frames() const { return frame_of(to_) - FrameIndex(0); }
    Seconds beat_length() const { return Seconds(60.0 / bpm_); }

  private:
    double bpm_;
    Beats from_;
    Beats to_;
    FrameRate frame_rate_;
};

}  // namespace kompo::komp
