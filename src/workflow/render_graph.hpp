#pragma once
// From a plan to the steps that carry it out: one step per segment piece, long pieces
// cut into chunks on output-frame boundaries (scatter), then join (gather), sound, mux
// and publish. Every step with an output gets its content key, computed from its inputs'
// keys, so that the engine can walk back from publish and skip what is cached.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plan/piece.hpp"
#include "workflow/engine.hpp"

namespace kompo::workflow {

// Content hashes of the source files, by resolved path.
using SourceHashes = std::map<std::string, std::string>;

struct GraphOptions {
    double chunk_seconds = 8.0;  // longer segment pieces are split into chunks this long
    std::string output;          // where publish puts the video; empty: nowhere
};

// The `count` frames of `piece` that follow its first `skipped` frames.
plan::SegmentPiece chunk_of(const plan::SegmentPiece& piece, FrameCount skipped, FrameCount count);

// The kind of a step from its name as named here: "segment-3.2" → segment, "join" → join;
// nothing for a name no step of these has (an execution event names no step).
std::optional<StepKind> step_kind_of(const std::string& step_name);

std::vector<PlannedStep> render_graph(const plan::Plan& plan, const SourceHashes& hashes,
                                      const GraphOptions& options);

}  // namespace kompo::workflow
