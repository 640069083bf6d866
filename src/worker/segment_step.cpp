// A segment piece (or chunk), rendered in parts: each checkpoint closes the part being
// encoded and records it, so a resumed attempt renders only what no part holds yet.
#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "media/execute.hpp"
#include "worker/steps.hpp"
#include "workflow/piece_json.hpp"
#include "workflow/render_graph.hpp"

namespace kompo::worker::steps {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Part {
    std::string file;  // inside the step's partial folder
    FrameCount frames;
};

struct Parts {
    fs::path dir;
    std::vector<Part> parts;
    FrameCount frames_done;
};

// The parts a checkpoint recorded, up to the first whose file is gone.
Parts parts_from_checkpoint(const workflow::Claim& claim, const fs::path& dir) {
    Parts kept{dir, {}, FrameCount(0)};
    if (claim.step.checkpoint.empty()) return kept;
    const auto j = json::parse(claim.step.checkpoint);
    for (const auto& p : j.at("parts")) {
        Part part{p.at("file").get<std::string>(), FrameCount(p.at("frames").get<std::int64_t>())};
        std::error_code ec;
        if (!fs::is_regular_file(dir / part.file, ec)) break;
        kept.parts.push_back(part);
        kept.frames_done += part.frames;
    }
    return kept;
}

std::string checkpoint_json(const Parts& parts) {
    json list = json::array();
    for (const auto& p : parts.parts)
        list.push_back({{"file", p.file}, {"frames", p.frames.value()}});
    return json{{"parts", list}, {"frames_done", parts.frames_done.value()}}.dump();
}

// Renders from where the parts end until the piece is done or a checkpoint stops it.
void render_next_part(const plan::SegmentPiece& piece, Parts& parts, const workflow::Claim& claim,
                      const StepEnvironment& env, const std::string& extension,
                      int encoder_threads) {
    const auto rest =
        workflow::chunk_of(piece, parts.frames_done, piece.frame_count - parts.frames_done);
    const std::string name = claim.lease.worker_id + "-" + std::to_string(claim.lease.token) + "-" +
                             std::to_string(parts.parts.size() + 1) + extension;
    const fs::path writing = parts.dir / (name + ".partial");
    media::ExecContext ctx;
    ctx.threads = env.threads;
    ctx.encoder_threads = encoder_threads;
    ctx.decode_beside = env.core_to_spare;
    ctx.cancelled = env.cancelled;
    const FrameCount before = parts.frames_done;
    ctx.on_progress = [&](std::int64_t done) {
        if (env.on_progress) env.on_progress(before.value() + done);
    };
    ctx.checkpoint_due = env.checkpoint_due;
    const FrameCount written = media::render_segment(rest, writing.string(), ctx);
    std::error_code ec;
    fs::rename(writing, parts.dir / name, ec);
    if (ec) throw Error::io(writing.string() + ": cannot keep part: " + ec.message());
    parts.parts.push_back({name, written});
    parts.frames_done += written;
}

// The finished step's artifact: its only part, or its parts joined (not re-encoded).
fs::path assemble(const plan::SegmentPiece& piece, const Parts& parts, const StepEnvironment& env,
                  const std::string& extension) {
    const fs::path out = env.engine.artifacts().temp_path(extension);
    std::error_code ec;
    if (parts.parts.size() == 1) {
        fs::rename(parts.dir / parts.parts.front().file, out, ec);
        if (ec) throw Error::io(out.string() + ": cannot move part: " + ec.message());
        return out;
    }
    std::vector<std::string> paths;
    for (const auto& p : parts.parts) paths.push_back((parts.dir / p.file).string());
    media::ExecContext ctx;
    ctx.cancelled = env.cancelled;
    media::join_segments(plan::JoinPiece{piece.frame_count, piece.format}, paths, out.string(),
                         ctx);
    return out;
}

}  // namespace

workflow::Outcome segment(const workflow::Claim& claim, const StepEnvironment& env) {
    const auto params = json::parse(claim.step.params);
    const auto piece = workflow::segment_piece_from(params);
    // Alone in its render (the other segments cached), its encoder takes every core.
    const int encoder_threads =
        workflow::encoded_alone(params) ? std::max(env.cores, env.threads) : env.threads;
    const auto extension = media::intermediate_video_extension(piece.format);
    Parts parts =
        parts_from_checkpoint(claim, env.engine.artifacts().partial_dir(claim.step.artifact_key));
    workflow::create_folder(parts.dir);
    while (parts.frames_done < piece.frame_count) {
        render_next_part(piece, parts, claim, env, extension, encoder_threads);
        if (parts.frames_done >= piece.frame_count) break;
        if (!env.engine.checkpoint(claim.lease, checkpoint_json(parts),
                                   parts.frames_done.value())) {
            throw Error::cancelled(claim.step.name + ": lease lost");
        }
        if (env.preempting && env.preempting()) throw Preempted{};
    }
    workflow::Outcome outcome;
    outcome.artifact_file = assemble(piece, parts, env, extension);
    outcome.result =
        json{{"frames", piece.frame_count.value()}, {"parts", parts.parts.size()}}.dump();
    if (!piece.stream_copy) {  // a copied piece has no encoder
        outcome.said = json{{"encoder_threads", encoder_threads}};
    }
    std::error_code ec;
    fs::remove_all(parts.dir, ec);
    return outcome;
}

}  // namespace kompo::worker::steps
