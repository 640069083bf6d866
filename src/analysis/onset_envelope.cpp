#include "analysis/onset_envelope.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/aubio_handles.hpp"

namespace kompo::analysis {

namespace {

constexpr unsigned kHop = 128;
constexpr unsigned kWindow = 1024;
// Kick drums live below this; their flux says where bars start.
constexpr double kLowBandHz = 150.0;
// aubio's tempo tracker runs on its customary frames.
constexpr unsigned kTempoHop = 256;
constexpr unsigned kTempoWindow = 1024;

template <typename T>
AubioPtr<T> made(T* object) {
    if (!object) throw std::runtime_error("aubio: cannot create an analysis object");
    return AubioPtr<T>(object);
}

void fill(fvec_t& frame, const std::vector<float>& samples, std::size_t from) {
    for (unsigned i = 0; i < frame.length; ++i) {
        const std::size_t at = from + i;
        frame.data[i] = at < samples.size() ? samples[at] : 0.0f;
    }
}

double rms(const fvec_t& frame) {
    double sum = 0;
    for (unsigned i = 0; i < frame.length; ++i) sum += double(frame.data[i]) * frame.data[i];
    return std::sqrt(sum / frame.length);
}

// Rise of the magnitudes of bins [0, bins) since the previous frame.
double band_flux(const cvec_t& spectrum, std::vector<double>& previous, unsigned bins) {
    double flux = 0;
    for (unsigned b = 0; b < bins; ++b) {
        flux += std::max(0.0, double(spectrum.norm[b]) - previous[b]);
        previous[b] = spectrum.norm[b];
    }
    return flux;
}

double aubio_tempo_bpm(const std::vector<float>& samples, int sample_rate) {
    auto tempo = made(new_aubio_tempo("default", kTempoWindow, kTempoHop, sample_rate));
    auto in = made(new_fvec(kTempoHop));
    auto out = made(new_fvec(1));
    for (std::size_t from = 0; from < samples.size(); from += kTempoHop) {
        fill(*in, samples, from);
        aubio_tempo_do(tempo.get(), in.get(), out.get());
    }
    return aubio_tempo_get_bpm(tempo.get());
}

}  // namespace

OnsetEnvelope onset_envelope(const std::vector<float>& samples, int sample_rate) {
    auto pvoc = made(new_aubio_pvoc(kWindow, kHop));
    auto flux = made(new_aubio_specdesc("specflux", kWindow));
    auto in = made(new_fvec(kHop));
    auto spectrum = made(new_cvec(kWindow));
    auto out = made(new_fvec(1));
    const unsigned low_bins =
        std::max(2u, static_cast<unsigned>(kLowBandHz * kWindow / sample_rate) + 1);
    std::vector<double> previous_low(low_bins, 0.0);

    OnsetEnvelope envelope;
    envelope.frames_per_second = static_cast<double>(sample_rate) / kHop;
    for (std::size_t from = 0; from < samples.size(); from += kHop) {
        fill(*in, samples, from);
        aubio_pvoc_do(pvoc.get(), in.get(), spectrum.get());
        aubio_specdesc_do(flux.get(), spectrum.get(), out.get());
        envelope.flux.push_back(out->data[0]);
        envelope.low_flux.push_back(band_flux(*spectrum, previous_low, low_bins));
        envelope.loudness.push_back(rms(*in));
    }
    envelope.aubio_bpm = aubio_tempo_bpm(samples, sample_rate);
    return envelope;
}

}  // namespace kompo::analysis
