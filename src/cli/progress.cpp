#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <nlohmann/json.hpp>

namespace kompo::cli {

ProgressMode progress_mode(const std::string& flag) {
    if (flag == "bar") return ProgressMode::bar;
    if (flag == "plain") return ProgressMode::plain;
    if (flag == "json") return ProgressMode::json;
    if (flag == "none") return ProgressMode::none;
    return isatty(STDERR_FILENO) ? ProgressMode::bar : ProgressMode::plain;
}

ProgressPrinter::ProgressPrinter(ProgressMode mode) : mode_(mode) {}

double ProgressPrinter::eta_seconds(const render::Progress& p) const {
    if (p.frames_done <= 0) return -1;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    return elapsed * static_cast<double>(p.total_frames - p.frames_done) / p.frames_done;
}

namespace {
int percent(const render::Progress& p) {
    return p.total_frames > 0 ? static_cast<int>(100 * p.frames_done / p.total_frames) : 100;
}
}  // namespace

void ProgressPrinter::update(const render::Progress& p) {
    const auto now = Clock::now();
    const bool stage_changed = p.stage != last_stage_;
    last_stage_ = p.stage;
    switch (mode_) {
        case ProgressMode::bar:
            if (stage_changed || now - last_draw_ >= std::chrono::milliseconds(100)) draw_bar(p);
            break;
        case ProgressMode::plain:
            if (stage_changed || percent(p) / 10 != last_decile_) print_plain(p);
            break;
        case ProgressMode::json:
            if (stage_changed || now - last_draw_ >= std::chrono::milliseconds(250)) print_json(p);
            break;
        case ProgressMode::none:
            return;
    }
}

namespace {
std::string clock_text(double seconds) {
    if (seconds < 0) return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    return buf;
}
}  // namespace

void ProgressPrinter::draw_bar(const render::Progress& p) {
    constexpr int kWidth = 30;
    const int filled = percent(p) * kWidth / 100;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '-');
    std::fprintf(stderr, "\r\033[K[%s] %3d%%  %lld/%lld frames  ETA %s  %s", bar.c_str(),
                 percent(p), static_cast<long long>(p.frames_done),
                 static_cast<long long>(p.total_frames), clock_text(eta_seconds(p)).c_str(),
                 p.stage.c_str());
    std::fflush(stderr);
    last_draw_ = Clock::now();
    bar_drawn_ = true;
}

// A line when the stage changes or another tenth is done: a log of a long render, or of a
// song's sound encoding after the picture, is a few lines, not one per poll.
void ProgressPrinter::print_plain(const render::Progress& p) {
    last_decile_ = percent(p) / 10;
    std::fprintf(stderr, "render: %d%% (%lld/%lld frames, %s), ETA %s\n", percent(p),
                 static_cast<long long>(p.frames_done), static_cast<long long>(p.total_frames),
                 p.stage.c_str(), clock_text(eta_seconds(p)).c_str());
}

void ProgressPrinter::print_json(const render::Progress& p) {
    nlohmann::json line{{"event", "progress"},     {"stage", p.stage},
                        {"frames", p.frames_done}, {"total_frames", p.total_frames},
                        {"percent", percent(p)},   {"eta_seconds", nullptr}};
    if (const double eta = eta_seconds(p); eta >= 0)
        line["eta_seconds"] = eta;  // null: unknown yet
    std::printf("%s\n", line.dump().c_str());
    std::fflush(stdout);
    last_draw_ = Clock::now();
}

void ProgressPrinter::submitted(const std::string& execution_id) {
    if (mode_ == ProgressMode::json) {
        std::printf(
            "%s\n",
            nlohmann::json{{"event", "submitted"}, {"execution", execution_id}}.dump().c_str());
        std::fflush(stdout);
    } else if (mode_ != ProgressMode::none) {
        std::fprintf(stderr, "execution %s (kompo status %s)\n", execution_id.c_str(),
                     execution_id.c_str());
    }
}

void ProgressPrinter::warning(const std::string& message) {
    if (mode_ == ProgressMode::json) {
        std::printf("%s\n",
                    nlohmann::json{{"event", "warning"}, {"message", message}}.dump().c_str());
        std::fflush(stdout);
        return;
    }
    std::fprintf(stderr, "%swarning: %s\n", bar_drawn_ ? "\r\033[K" : "", message.c_str());
}

void ProgressPrinter::finish(const std::string& output, std::int64_t frames, double seconds) {
    if (mode_ == ProgressMode::json) {
        std::printf(
            "%s\n",
            nlohmann::json{
                {"event", "done"}, {"output", output}, {"frames", frames}, {"seconds", seconds}}
                .dump()
                .c_str());
        return;
    }
    if (bar_drawn_) std::fprintf(stderr, "\n");
    std::printf("wrote %s (%lld frames) in %.1f s\n", output.c_str(),
                static_cast<long long>(frames), seconds);
}

void ProgressPrinter::ended_without_video(const std::string& how, const std::string& message) {
    if (mode_ != ProgressMode::json) {
        if (bar_drawn_) std::fprintf(stderr, "\n");
        return;
    }
    std::printf("%s\n", nlohmann::json{{"event", how}, {"message", message}}.dump().c_str());
    std::fflush(stdout);
}

}  // namespace kompo::cli
