// config.framerate → an exact fraction. Kept apart from parsing: the renderer, the planner
// and to_canonical all need the same mapping.
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/field_error.hpp"
#include "komposition/json_fields.hpp"
#include "komposition/komposition.hpp"
#include "komposition/reading.hpp"

namespace kompo::komp {

namespace {

// Bounds that keep num/den small ints and a frame a sensible length; the contract is
// silent, and no camera or encoder preset lies outside them.
constexpr double kMinFrameRate = 1;
constexpr double kMaxFrameRate = 1000;
// 1001 is the NTSC denominator; fractions with larger ones are not worth the precision.
constexpr long long kMaxDenominator = 1001;
// 23.98 is a common way of writing 24000/1001 (23.97602...).
constexpr double kNtscTolerance = 0.005;
// Closer than this, a simpler fraction is as good as the written decimal: 1e-4 frames per
// second is one frame of drift in about three hours.
constexpr double kFractionTolerance = 1e-4;

FrameRate reduced(long long num, long long den) {
    const long long divisor = std::gcd(num, den);
    return {static_cast<int>(num / divisor), static_cast<int>(den / divisor)};
}

// 23.976 → 24000/1001, 29.97 → 30000/1001, 59.94 → 60000/1001 (and 47.952, 119.88, ...).
std::optional<FrameRate> ntsc_rate(double fps) {
    const double whole = std::round(fps * 1.001);
    if (whole < 1 || std::abs(fps - whole * 1000 / 1001) >= kNtscTolerance) return std::nullopt;
    return reduced(static_cast<long long>(whole) * 1000, 1001);
}

// The first continued-fraction convergent close enough to `fps` (12.5 → 25/2), or the
// closest one whose denominator stays within kMaxDenominator.
FrameRate simplest_fraction(double fps) {
    long long num_before = 0, num = 1, den_before = 1, den = 0;
    double rest = fps;
    for (int step = 0; step < 64; ++step) {
        const double term = std::floor(rest);
        const double next_den = term * static_cast<double>(den) + static_cast<double>(den_before);
        if (next_den > kMaxDenominator) break;
        const long long next_num = static_cast<long long>(term) * num + num_before;
        num_before = num, num = next_num;
        den_before = den, den = static_cast<long long>(next_den);
        if (std::abs(fps - static_cast<double>(num) / static_cast<double>(den)) <
            kFractionTolerance)
            break;
        const double fraction = rest - term;
        if (fraction < 1e-12) break;
        rest = 1 / fraction;
    }
    return reduced(num, den);
}

}  // namespace

namespace detail {
std::optional<std::string> frame_rate_problem(double fps) {
    if (fps == 0) return std::nullopt;
    if (!(fps >= kMinFrameRate && fps <= kMaxFrameRate)) {
        return "must be 0 (meaning 30) or between " + number_text(kMinFrameRate) + " and " +
               number_text(kMaxFrameRate) + ", got " + number_text(fps);
    }
    return std::nullopt;
}
}  // namespace detail

FrameRate frame_rate_from_number(double fps) {
    if (auto problem = detail::frame_rate_problem(fps)) throw FieldError("framerate", *problem);
    if (fps == 0) return {30, 1};
    if (detail::is_whole(fps)) return {static_cast<int>(fps), 1};
    if (auto ntsc = ntsc_rate(fps)) return *ntsc;
    return simplest_fraction(fps);
}

}  // namespace kompo::komp
