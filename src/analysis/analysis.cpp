#include "analysis/analysis.hpp"

#include "analysis/onset_envelope.hpp"
#include "media/mono_sound.hpp"
#include "media/probe.hpp"

namespace kompo::analysis {

namespace {

// Tempo lives below 11 kHz; half the usual rate halves the work.
constexpr int kAnalysisSampleRate = 22050;

}  // namespace

TempoAnalysis analyze_tempo(const std::vector<float>& samples, int sample_rate,
                            const TempoOptions& options) {
    const OnsetEnvelope envelope = onset_envelope(samples, sample_rate);
    TempoAnalysis result;
    result.grid = fit_beat_grid(envelope, options);
    result.aubio_bpm = envelope.aubio_bpm;
    return result;
}

MediumAnalysis analyze_medium(const std::filesystem::path& file, const AnalysisOptions& options,
                              const std::atomic<bool>* cancelled) {
    const MediaInfo info = media::probe(file.string());
    MediumAnalysis analysis;
    analysis.kind = info.kind;
    analysis.duration = info.duration;
    if (info.kind == MediaKind::audio) {
        const media::MonoSound sound = media::decode_mono(file, kAnalysisSampleRate, cancelled);
        analysis.tempo = analyze_tempo(sound.samples, sound.sample_rate, options.tempo);
    } else if (info.kind == MediaKind::video) {
        analysis.shots = media::video_profile(file, options.shot_threshold, cancelled);
    }
    return analysis;
}

}  // namespace kompo::analysis
