#pragma once
// Render pieces and probed media as JSON: how the workflow stores them between steps and
// what artifact keys are computed from. Enums are lowercase words, seconds are JSON numbers
// that read back bit for bit, empty optionals are absent. The readers read our own stored
// data, so a malformed value is a bug: they throw Error(internal) naming the field.
#include <nlohmann/json.hpp>

#include "core/media_info.hpp"
#include "plan/piece.hpp"
#include "plan/plan.hpp"

namespace kompo::workflow {

nlohmann::json to_json(const plan::OutputFormat& format);
nlohmann::json to_json(const plan::SegmentPiece& piece);
nlohmann::json to_json(const plan::JoinPiece& piece);
nlohmann::json to_json(const plan::SoundPiece& piece);
nlohmann::json to_json(const plan::MuxPiece& piece);
nlohmann::json to_json(const MediaInfo& info);
nlohmann::json to_json(const plan::MediaBySource& media);  // an object keyed by source id

// A segment step that its execution runs alone (every other segment was in the cache, as
// after a one-segment edit) carries this mark in its params: its encoder may take every
// core of the worker. Not part of the piece, so not of its artifact key.
void mark_encoded_alone(nlohmann::json& step_params);
bool encoded_alone(const nlohmann::json& step_params);

plan::OutputFormat output_format_from(const nlohmann::json& json);
plan::SegmentPiece segment_piece_from(const nlohmann::json& json);
plan::JoinPiece join_piece_from(const nlohmann::json& json);
plan::SoundPiece sound_piece_from(const nlohmann::json& json);
plan::MuxPiece mux_piece_from(const nlohmann::json& json);
MediaInfo media_info_from(const nlohmann::json& json);
plan::MediaBySource media_by_source_from(const nlohmann::json& json);

}  // namespace kompo::workflow
