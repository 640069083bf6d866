#pragma once
#include <filesystem>
#include <string>

#include "komposition/komposition.hpp"
#include "komposition/timeline.hpp"

namespace kompo::cli {

// Reads, parses and validates a komposition file; errors name the file.
komp::Komposition load_komposition(const std::string& path);

// The folder relative source urls resolve in: the flag, else the komposition's folder.
std::filesystem::path media_root_for(const std::string& komposition, const std::string& flag);

// Writes `text` to `path` through a temporary file and a rename: all or nothing.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace kompo::cli
