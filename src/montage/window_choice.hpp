#pragma once
// Scoring windows of a clip for a cut (internal to src/montage).
#include <vector>

#include "montage/montage.hpp"

namespace kompo::montage {

struct Window {
    double start = 0;   // seconds into the clip
    double length = 0;  // seconds
};

// The best window of `length` seconds of `clip`, avoiding black and still seconds and
// shot changes inside, preferring a start at a shot change and places not yet `used`.
Window best_window(const Clip& clip, double length, const std::vector<Window>& used);

}  // namespace kompo::montage
