#include "plan/describe.hpp"

#include <cstdio>
#include <string>

namespace kompo::plan {

namespace {
std::string format(const char* fmt, auto... args) {
    char buf[512];
    std::snprintf(buf, sizeof buf, fmt, args...);
    return buf;
}

std::string window_text(const SegmentPiece& p) {
    switch (p.kind) {
        case PictureKind::black:
            return "black";
        case PictureKind::image:
            return "still image";
        case PictureKind::video:
            break;
    }
    const double end =
        p.source_start.value() + p.format.frame_rate.duration_of(p.frame_count).value() * p.speed;
    std::string text = format("%.3f s to %.3f s", p.source_start.value(), end);
    if (p.speed != 1.0) text += format(" (x%.3f)", p.speed);
    if (end > p.source_end.value() + 1e-6)
        text += format(" (holds after %.3f s)", p.source_end.value());
    if (p.stream_copy) text += " (copied)";
    return text;
}
}  // namespace

namespace {
std::string label(const char* list, std::size_t index, const std::string& id) {
    return std::string(list) + "[" + std::to_string(index) + "] (\"" + id + "\")";
}
}  // namespace

std::string segment_label(std::size_t index, const std::string& id) {
    return label("segments", index, id);
}

std::string source_label(std::size_t index, const std::string& id) {
    return label("sources", index, id);
}

std::string describe_window_past_end(const std::string& where, Seconds start,
                                     const MediaInfo& info) {
    return format("%s: the window starts at %.3f s, past the end of %s (%.3f s long)",
                  where.c_str(), start.value(), info.path.c_str(), info.duration.value());
}

std::string describe_hold(const std::string& where, double needed_end, const MediaInfo& info) {
    return format("%s: the window reaches %.3f s but %s is %.3f s long: its last frame is held",
                  where.c_str(), needed_end, info.path.c_str(), info.duration.value());
}

std::string describe_hold_first(const std::string& where, double start, const MediaInfo& info) {
    return format(
        "%s: the window starts at %.3f s, %.3f s before %s begins: its first frame "
        "is held until then",
        where.c_str(), start, -start, info.path.c_str());
}

std::string describe_plan(const Plan& plan) {
    const auto& f = plan.format;
    std::string out = format("output: %dx%d @ %d/%d fps, %s, %lld frames\n", f.width, f.height,
                             f.frame_rate.num, f.frame_rate.den, f.container.c_str(),
                             static_cast<long long>(plan.total_frames.value()));
    for (std::size_t i = 0; i < plan.segments.size(); ++i) {
        const auto& p = plan.segments[i];
        const long long first = p.first_frame.value();
        out += format("piece %zu  %-24s frames %lld-%lld (%lld)  source %s%s%s\n", i + 1,
                      p.segment_id.c_str(), first,
                      static_cast<long long>((p.first_frame + p.frame_count).value()),
                      static_cast<long long>(p.frame_count.value()), window_text(p).c_str(),
                      p.source_path.empty() ? "" : "  ", p.source_path.c_str());
    }
    out += format("join   %zu pieces -> %lld frames\n", plan.segments.size(),
                  static_cast<long long>(plan.join.total_frames.value()));
    if (plan.sound.source_path) {
        out += format("sound  %s from %.3f s (%s)\n", plan.sound.where.c_str(),
                      plan.sound.source_start.value(), plan.sound.source_path->c_str());
    } else {
        out += "sound  silent track (no audio source)\n";
    }
    out += format("mux    %s\n", f.container.c_str());
    return out;
}

}  // namespace kompo::plan
