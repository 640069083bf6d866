#include "montage/window_choice.hpp"

#include <algorithm>
#include <cmath>

namespace kompo::montage {

namespace {

// Below these a second counts as black / as still.
constexpr double kBlackBrightness = 0.08;
constexpr double kStillMotion = 0.002;
// Candidate starts besides shot changes: every this many seconds.
constexpr double kStartStep = 0.25;
// A shot change this close to a window's start is its start (times are frame times).
constexpr double kEdgeSlack = 1e-3;

// What a window should not hold, worst first: a shot change inside (a cut off the beat),
// black seconds, still seconds, parts already shown (per window's length shown again).
constexpr double kInnerCutCost = 1000;
constexpr double kBlackCost = 100;
constexpr double kStillCost = 10;
constexpr double kReuseCost = 50;
constexpr double kShotStartBonus = 5;

double overlap(const Window& a, const Window& b) {
    return std::max(0.0,
                    std::min(a.start + a.length, b.start + b.length) - std::max(a.start, b.start));
}

double cost(const Clip& clip, const Window& w, const std::vector<Window>& used) {
    double c = 0;
    const auto first = static_cast<std::size_t>(std::floor(w.start));
    const auto last = static_cast<std::size_t>(std::ceil(w.start + w.length));
    for (std::size_t s = first; s < last && s < clip.seconds.size(); ++s) {
        if (clip.seconds[s].brightness < kBlackBrightness)
            c += kBlackCost;
        else if (clip.seconds[s].motion < kStillMotion)
            c += kStillCost;
    }
    for (double change : clip.shot_changes) {
        if (change > w.start + kEdgeSlack && change < w.start + w.length - kEdgeSlack) {
            c += kInnerCutCost;
        }
        if (std::fabs(change - w.start) <= kEdgeSlack) c -= kShotStartBonus;
    }
    for (const Window& u : used) c += kReuseCost * overlap(w, u) / w.length;
    return c;
}

}  // namespace

Window best_window(const Clip& clip, double length, const std::vector<Window>& used) {
    const double latest = std::max(0.0, clip.duration - length);
    std::vector<double> starts = {0.0};
    for (double s = kStartStep; s <= latest; s += kStartStep) starts.push_back(s);
    for (double change : clip.shot_changes) {
        if (change <= latest) starts.push_back(change);
    }
    Window best{0.0, length};
    double best_cost = cost(clip, best, used);
    for (double s : starts) {
        const Window w{s, length};
        const double c = cost(clip, w, used);
        if (c < best_cost) best = w, best_cost = c;
    }
    return best;
}

}  // namespace kompo::montage
