#include "workflow/render_graph.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "workflow/artifact_key.hpp"
#include "workflow/piece_json.hpp"

namespace kompo::workflow {

namespace {

using nlohmann::json;

std::string hash_of(const SourceHashes& hashes, const std::string& path) {
    if (path.empty()) return {};
    const auto it = hashes.find(path);
    if (it == hashes.end()) throw Error::internal(path + ": no content hash from probing");
    return it->second;
}

PlannedStep planned(const std::string& name, StepKind kind, json params, std::string key,
                    FrameCount frames, std::vector<std::string> needs = {}) {
    PlannedStep step;
    step.name = name;
    step.kind = kind;
    step.params = params.dump();
    step.artifact_key = std::move(key);
    step.frames_total = frames.value();
    step.needs = std::move(needs);
    return step;
}

FrameCount chunk_frames(const plan::OutputFormat& format, double seconds) {
    const double fps = static_cast<double>(format.frame_rate.num) / format.frame_rate.den;
    return FrameCount(std::max<std::int64_t>(1, std::llround(seconds * fps)));
}

// The segment piece's steps: itself, or its chunks when it is long. A stream copy stays
// whole: its cuts must fall on the source's keyframes.
void add_segment_steps(std::vector<PlannedStep>& steps, std::vector<std::string>& keys,
                       const plan::SegmentPiece& piece, std::size_t number,
                       const SourceHashes& hashes, FrameCount max_frames) {
    const std::string base = "segment-" + std::to_string(number);
    const std::string source_hash = hash_of(hashes, piece.source_path);
    if (piece.stream_copy || piece.frame_count <= max_frames) {
        keys.push_back(segment_key(piece, source_hash));
        steps.push_back(
            planned(base, StepKind::segment, to_json(piece), keys.back(), piece.frame_count));
        return;
    }
    // Cut evenly: as many chunks as `max_frames` needs, sized within a frame of each other.
    const std::int64_t frames = piece.frame_count.value();
    const std::int64_t chunks = (frames + max_frames.value() - 1) / max_frames.value();
    for (std::int64_t c = 0; c < chunks; ++c) {
        const FrameCount skipped(c * frames / chunks);
        const FrameCount end((c + 1) * frames / chunks);
        const auto chunk = chunk_of(piece, skipped, end - skipped);
        keys.push_back(segment_key(chunk, source_hash));
        steps.push_back(planned(base + "." + std::to_string(c + 1), StepKind::segment,
                                to_json(chunk), keys.back(), chunk.frame_count));
    }
}

// Rough CPU seconds of a step on one core, from what bench/render measures (libx264
// veryfast: ~15 ns per output pixel; decoding a source about as large: ~5 ns; FFmpeg's
// AAC encoder: ~0.05 s per second of a channel). Only their ratio is used.
double estimated_seconds(const plan::SegmentPiece& piece, FrameCount frames) {
    if (piece.stream_copy) return 0.0;
    const double pixels = static_cast<double>(piece.format.width) * piece.format.height;
    const double per_pixel = piece.kind == plan::PictureKind::video ? 20e-9 : 15e-9;
    return static_cast<double>(frames.value()) * pixels * per_pixel;
}

double estimated_seconds(const plan::SoundPiece& piece) {
    const double seconds = piece.format.frame_rate.duration_of(piece.total_frames).value();
    return seconds * piece.format.audio_channels * 0.05;
}

// Steps are claimed in the order they are stored. A song much longer to encode than any
// segment step is claimed first, beside the segments: claimed after them, it would run
// alone at the end (a full song: ~20 s of one core while the others wait). Twice, because
// estimates are rough and a sound no longer than a segment is as well placed last.
bool sound_goes_first(const plan::Plan& plan, FrameCount max_frames) {
    double longest = 0.0;
    for (const auto& piece : plan.segments) {
        const auto step_frames = std::min(piece.frame_count, max_frames);
        longest = std::max(longest, estimated_seconds(piece, step_frames));
    }
    return estimated_seconds(plan.sound) > 2 * longest;
}

}  // namespace

std::optional<StepKind> step_kind_of(const std::string& step_name) {
    const auto prefix = std::string_view(step_name).substr(0, step_name.find('-'));
    for (const auto& row : kStepKinds) {
        if (prefix == row.name) return row.kind;
    }
    return std::nullopt;
}

plan::SegmentPiece chunk_of(const plan::SegmentPiece& piece, FrameCount skipped, FrameCount count) {
    plan::SegmentPiece chunk = piece;
    chunk.source_start =
        piece.source_start + piece.format.frame_rate.duration_of(skipped) * piece.speed;
    chunk.first_frame = piece.first_frame + skipped;
    chunk.frame_count = count;
    return chunk;
}

std::vector<PlannedStep> render_graph(const plan::Plan& plan, const SourceHashes& hashes,
                                      const GraphOptions& options) {
    std::vector<PlannedStep> steps;
    std::vector<std::string> segment_keys;
    const auto max_frames = chunk_frames(plan.format, options.chunk_seconds);
    for (std::size_t i = 0; i < plan.segments.size(); ++i) {
        add_segment_steps(steps, segment_keys, plan.segments[i], i + 1, hashes, max_frames);
    }
    std::vector<std::string> segment_names;
    for (const auto& s : steps) segment_names.push_back(s.name);

    const auto joined = join_key(plan.join, segment_keys);
    steps.push_back(planned("join", StepKind::join, to_json(plan.join), joined,
                            plan.join.total_frames, segment_names));
    const auto sound = sound_key(plan.sound, hash_of(hashes, plan.sound.source_path.value_or("")));
    auto sound_step =
        planned("sound", StepKind::sound, to_json(plan.sound), sound, plan.sound.total_frames);
    if (sound_goes_first(plan, max_frames)) {
        steps.insert(steps.begin(), std::move(sound_step));
    } else {
        steps.push_back(std::move(sound_step));
    }
    const auto muxed = mux_key(plan.mux, joined, sound);
    steps.push_back(planned("mux", StepKind::mux, to_json(plan.mux), muxed, plan.mux.total_frames,
                            {"join", "sound"}));
    steps.push_back(planned("publish", StepKind::publish, json{{"output", options.output}}, "",
                            plan.total_frames, {"mux"}));
    return steps;
}

}  // namespace kompo::workflow
