#include "analysis/beat_grid.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "core/error.hpp"

namespace kompo::analysis {

namespace {

// Onsets are compared with what surrounds them within this many seconds each side.
constexpr double kLocalMeanSeconds = 0.2;
// Phase histograms: bins per envelope frame of the period.
constexpr int kBinsPerFrame = 2;
// Octave checks: the half-way points of a grid this strong (relative to its beats) mean
// the pulse is twice as fast; every other beat this weak means it is half as fast.
constexpr double kDoubleIfHalfWay = 0.3;
constexpr double kHalveIfAlternate = 0.2;
// The fine search looks this far either side of the coarse tempo, in these steps.
constexpr double kFineSpan = 0.02;
constexpr double kFineStepBpm = 0.01;
// How much later than the onset that caused it a frame's flux peaks, in seconds (the mean
// over the generated drum tracks of tests/unit/analysis_tempo_test.cpp: 10-14 ms).
constexpr double kOnsetLatencySeconds = 0.012;
// Sound counts as started once a frame is this loud relative to the loud frames.
constexpr double kStartLoudness = 0.02;
// A grid needs this many beats of music before it means anything.
constexpr int kMinBeats = 8;

std::vector<double> standardised(const std::vector<double>& v) {
    if (v.empty()) return v;
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / v.size();
    double var = 0;
    for (double x : v) var += (x - mean) * (x - mean);
    const double sd = std::sqrt(var / v.size());
    std::vector<double> out(v.size(), 0.0);
    if (sd > 0)
        for (std::size_t i = 0; i < v.size(); ++i) out[i] = (v[i] - mean) / sd;
    return out;
}

// Rises above the local mean: what starts, not what sustains.
std::vector<double> novelty(const OnsetEnvelope& envelope) {
    const std::vector<double> all = standardised(envelope.flux);
    const std::vector<double> low = standardised(envelope.low_flux);
    const std::size_t n = all.size();
    std::vector<double> sum(n);
    for (std::size_t i = 0; i < n; ++i) sum[i] = all[i] + low[i];
    const auto half = static_cast<std::ptrdiff_t>(kLocalMeanSeconds * envelope.frames_per_second);
    std::vector<double> prefix(n + 1, 0.0);
    for (std::size_t i = 0; i < n; ++i) prefix[i + 1] = prefix[i] + sum[i];
    std::vector<double> out(n, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto lo =
            static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, std::ptrdiff_t(i) - half));
        const std::size_t hi = std::min(n, i + half + 1);
        const double mean = (prefix[hi] - prefix[lo]) / double(hi - lo);
        out[i] = std::max(0.0, sum[i] - mean);
    }
    return out;
}

// Autocorrelation of the novelty for lags 0..max_lag.
std::vector<double> autocorrelation(const std::vector<double>& e, std::size_t max_lag) {
    std::vector<double> r(max_lag + 1, 0.0);
    for (std::size_t lag = 0; lag <= max_lag && lag < e.size(); ++lag) {
        double sum = 0;
        for (std::size_t i = lag; i < e.size(); ++i) sum += e[i] * e[i - lag];
        r[lag] = sum / double(e.size() - lag);
    }
    return r;
}

double at_fraction(const std::vector<double>& v, double x) {
    if (x < 0 || x > double(v.size() - 1)) return 0;
    const auto i = static_cast<std::size_t>(x);
    const double f = x - double(i);
    return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

// The novelty folded onto one period: where in the period the onsets fall.
class PhaseHistogram {
  public:
    PhaseHistogram(const std::vector<double>& e, double period, std::size_t from = 0,
                   std::size_t to = SIZE_MAX)
        : period_(period), bins_(std::max(4, int(std::lround(period * kBinsPerFrame))), 0.0) {
        to = std::min(to, e.size());
        const double scale = double(bins_.size()) / period;
        for (std::size_t i = from; i < to; ++i) {
            const auto bin = static_cast<std::size_t>(std::fmod(double(i), period) * scale);
            bins_[std::min(bin, bins_.size() - 1)] += e[i];
        }
    }

    // Smoothed over three bins: an onset near a bin edge counts whole.
    double around(double phase) const {
        const double scale = double(bins_.size()) / period_;
        const auto n = static_cast<std::ptrdiff_t>(bins_.size());
        auto centre =
            static_cast<std::ptrdiff_t>(std::floor(std::fmod(phase + period_, period_) * scale));
        double sum = 0;
        for (std::ptrdiff_t d = -1; d <= 1; ++d)
            sum += bins_[std::size_t(((centre + d) % n + n) % n)];
        return sum;
    }

    // The phase (frames) with the most onsets, between bins by a parabola's vertex.
    double peak_phase() const {
        const double scale = double(bins_.size()) / period_;
        std::size_t best = 0;
        for (std::size_t b = 0; b < bins_.size(); ++b)
            if (around((b + 0.5) / scale) > around((best + 0.5) / scale)) best = b;
        const double l = around((best - 0.5) / scale), c = around((best + 0.5) / scale),
                     r = around((best + 1.5) / scale);
        const double denom = l - 2 * c + r;
        const double shift = denom < 0 ? std::clamp(0.5 * (l - r) / denom, -0.5, 0.5) : 0.0;
        return (best + 0.5 + shift) / scale;
    }

    double peak() const { return around(peak_phase()); }
    double total() const { return std::accumulate(bins_.begin(), bins_.end(), 0.0); }

  private:
    double period_;
    std::vector<double> bins_;
};

double period_of(double bpm, double fps) {
    return 60.0 * fps / bpm;
}

double coarse_bpm(const std::vector<double>& e, double fps, const TempoOptions& options) {
    const auto max_lag =
        static_cast<std::size_t>(std::ceil(2 * period_of(options.min_bpm, fps))) + 2;
    const std::vector<double> r = autocorrelation(e, max_lag);
    double best = options.min_bpm, best_score = -1;
    for (double bpm = options.min_bpm; bpm <= options.max_bpm; bpm += 0.05) {
        const double p = period_of(bpm, fps);
        const double score = at_fraction(r, p) + 0.5 * at_fraction(r, 2 * p);
        if (score > best_score) best = bpm, best_score = score;
    }
    return best;
}

// Octave errors: a pulse twice as fast hides at the half-way points; a pulse half as fast
// shows as every other beat missing.
double octave_corrected(const std::vector<double>& e, double fps, double bpm,
                        const TempoOptions& options) {
    for (int step = 0; step < 3; ++step) {
        const PhaseHistogram grid(e, period_of(bpm, fps));
        const double beat = grid.peak_phase();
        const double on = grid.around(beat);
        if (on <= 0) break;
        if (bpm * 2 <= options.max_bpm &&
            grid.around(beat + period_of(bpm, fps) / 2) >= kDoubleIfHalfWay * on) {
            bpm *= 2;
            continue;
        }
        const PhaseHistogram pairs(e, period_of(bpm / 2, fps));
        const double first = pairs.peak_phase();
        const double other = pairs.around(first + period_of(bpm, fps));
        if (bpm / 2 >= options.min_bpm && other < kHalveIfAlternate * pairs.around(first)) {
            bpm /= 2;
            continue;
        }
        break;
    }
    return bpm;
}

// The tempo near `bpm` whose grid gathers the onsets most tightly.
double fine_bpm(const std::vector<double>& e, double fps, double bpm) {
    std::vector<double> bpms, scores;
    for (double b = bpm * (1 - kFineSpan); b <= bpm * (1 + kFineSpan); b += kFineStepBpm) {
        bpms.push_back(b);
        scores.push_back(PhaseHistogram(e, period_of(b, fps)).peak());
    }
    const auto best = std::size_t(std::max_element(scores.begin(), scores.end()) - scores.begin());
    if (best == 0 || best + 1 >= scores.size()) return bpms[best];
    const double l = scores[best - 1], c = scores[best], r = scores[best + 1];
    const double denom = l - 2 * c + r;
    const double shift = denom < 0 ? std::clamp(0.5 * (l - r) / denom, -0.5, 0.5) : 0.0;
    return bpms[best] + shift * kFineStepBpm;
}

std::pair<std::size_t, std::size_t> music_extent(const std::vector<double>& loudness) {
    if (loudness.empty()) return {0, 0};
    std::vector<double> sorted = loudness;
    std::nth_element(sorted.begin(), sorted.begin() + sorted.size() * 95 / 100, sorted.end());
    const double loud = sorted[sorted.size() * 95 / 100];
    const double threshold = std::max(1e-4, kStartLoudness * loud);
    std::size_t first = 0, last = loudness.size();
    while (first < loudness.size() && loudness[first] < threshold) ++first;
    while (last > first && loudness[last - 1] < threshold) --last;
    return {first, last};
}

// The share of the onsets that fall near the grid's beats (an eighth of a period either
// side), rescaled so that onsets at random give 0; the weakest quarter of the music counts,
// so a grid that fits only part of a song is not trusted.
double grid_confidence(const std::vector<double>& e, double period, std::size_t from,
                       std::size_t to, double phase) {
    if (to <= from || double(to - from) < kMinBeats * period) return 0;
    const std::size_t quarter = (to - from) / 4;
    double weakest = 1;
    for (int q = 0; q < 4; ++q) {
        const std::size_t a = from + q * quarter, b = q == 3 ? to : a + quarter;
        double near = 0, all = 0;
        for (std::size_t i = a; i < b; ++i) {
            const double d = std::fmod(std::fabs(double(i) - phase), period);
            if (std::min(d, period - d) <= period / 8) near += e[i];
            all += e[i];
        }
        const double share = all > 0 ? near / all : 0;
        weakest = std::min(weakest, std::clamp((share - 0.25) / 0.75, 0.0, 1.0));
    }
    return weakest;
}

// The beat (index into beats) whose bar of 4 has the most low-frequency onsets on its
// first beat: kick drums mark where bars start.
std::size_t first_downbeat_index(const std::vector<double>& beats, const OnsetEnvelope& envelope) {
    const std::vector<double> low = standardised(envelope.low_flux);
    double strongest = -1e300;
    std::size_t best = 0;
    for (std::size_t m = 0; m < std::min<std::size_t>(4, beats.size()); ++m) {
        double sum = 0;
        for (std::size_t k = m; k < beats.size(); k += 4) {
            const double frame = beats[k] * envelope.frames_per_second;
            double peak = -1e300;
            for (double d = -2; d <= 2; d += 1) peak = std::max(peak, at_fraction(low, frame + d));
            sum += peak;
        }
        if (sum > strongest) strongest = sum, best = m;
    }
    return best;
}

}  // namespace

BeatGrid fit_beat_grid(const OnsetEnvelope& envelope, const TempoOptions& options) {
    if (!(options.min_bpm > 0) || !(options.max_bpm >= 2 * options.min_bpm)) {
        throw Error::invalid("tempo range " + std::to_string(options.min_bpm) + ".." +
                             std::to_string(options.max_bpm) +
                             ": needs 0 < min and max >= 2 * min (an octave)");
    }
    const double fps = envelope.frames_per_second;
    BeatGrid grid;
    const auto [from, to] = music_extent(envelope.loudness);
    grid.music_start = double(from) / fps;
    const std::vector<double> e = novelty(envelope);
    if (to <= from || e.empty()) return grid;

    grid.bpm = fine_bpm(e, fps, octave_corrected(e, fps, coarse_bpm(e, fps, options), options));
    const double period = period_of(grid.bpm, fps);
    const double phase = PhaseHistogram(e, period, from, to).peak_phase();
    grid.confidence = grid_confidence(e, period, from, to, phase);
    grid.confident = grid.confidence >= options.min_confidence;

    // Beats from the first one at or after the music starts (half a frame's slack) on.
    const double latency = kOnsetLatencySeconds;
    double first = phase + std::ceil((double(from) - 0.5 - phase) / period) * period;
    for (double frame = first; frame < double(to); frame += period) {
        grid.beats.push_back(std::max(0.0, frame / fps - latency));
    }
    if (!grid.beats.empty()) {
        grid.first_beat = grid.beats.front();
        grid.first_downbeat = grid.beats[first_downbeat_index(grid.beats, envelope)];
    }
    return grid;
}

}  // namespace kompo::analysis
