#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "render/render.hpp"

namespace kompo::cli {

enum class ProgressMode { bar, plain, json, none };

// `auto` picks a bar on a terminal and plain lines otherwise.
ProgressMode progress_mode(const std::string& flag);

// Shows render progress: frames, percent and ETA. Throttled: a bar redraws at most
// 10 times a second, plain lines every 10 %, JSON lines at most every 250 ms.
class ProgressPrinter {
  public:
    explicit ProgressPrinter(ProgressMode mode);
    void update(const render::Progress& progress);
    // The render was queued as this execution (`kompo status ID` shows its steps).
    void submitted(const std::string& execution_id);
    void warning(const std::string& message);
    void finish(const std::string& output, std::int64_t frames, double seconds);
    // The render ended without a video: `how` is "failed" or "cancelled". In JSON mode a
    // last line says so, so a program reading stdout alone learns how it ended (the error
    // itself also goes to stderr, as for every command).
    void ended_without_video(const std::string& how, const std::string& message);

  private:
    using Clock = std::chrono::steady_clock;
    double eta_seconds(const render::Progress& p) const;
    void draw_bar(const render::Progress& p);
    void print_plain(const render::Progress& p);
    void print_json(const render::Progress& p);

    ProgressMode mode_;
    Clock::time_point started_ = Clock::now();
    Clock::time_point last_draw_{};
    int last_decile_ = -1;
    std::string last_stage_;
    bool bar_drawn_ = false;
};

}  // namespace kompo::cli
