#pragma once
// Content-addressed keys of render artifacts: a key is the BLAKE2b-256 hash of a canonical
// JSON document {"engine", "op", "params", "inputs"} holding everything that decides the
// artifact's bytes and nothing else, so equal keys mean interchangeable outputs and any
// change to the output's inputs gives a new key.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "plan/piece.hpp"

namespace kompo::workflow {

// Names the render engine's output-affecting version; part of every key.
std::string engine_version();

// BLAKE2b-256 of `bytes`, 64 lowercase hex digits.
std::string hash_hex(std::string_view bytes);
// BLAKE2b-256 of a file's bytes, read in chunks. Throws Error(io) "<path>: cannot read: ...".
std::string file_content_hash(const std::filesystem::path& path);

// The source's identity is its content hash, not its path: renaming a medium keeps the
// artifacts, changing its bytes invalidates them. `segment_id`, `where` and `first_frame`
// do not change a segment's bytes and are left out. A black piece has no source: pass "".
// Throws Error(internal) when a source hash is given for a black piece or missing otherwise.
std::string segment_key(const plan::SegmentPiece& piece, const std::string& source_content_hash);
// `input_keys`: the segment artifacts' keys, in output order.
std::string join_key(const plan::JoinPiece& piece, const std::vector<std::string>& input_keys);
// Without a soundtrack pass "". Throws Error(internal) like segment_key.
std::string sound_key(const plan::SoundPiece& piece, const std::string& source_content_hash);
std::string mux_key(const plan::MuxPiece& piece, const std::string& video_key,
                    const std::string& audio_key);

}  // namespace kompo::workflow
