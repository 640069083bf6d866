#pragma once
// Answers with a file, honouring a single HTTP Range (`bytes=a-b`, `bytes=a-`,
// `bytes=-n`) so a browser's <video> can seek: 206 with Content-Range, 416 for a range
// outside the file, 200 with the whole file otherwise. Always Accept-Ranges: bytes.
#include <filesystem>
#include <string>

#include "server/http_types.hpp"

namespace kompo::server {

Reply file_reply(const Request& request, const std::filesystem::path& file,
                 const std::string& content_type, const std::string& download_name = "");

// The content type of a file by its extension: media (mp4, webm, jpg, flac...) and the
// web app's files (html, js, css...); application/octet-stream otherwise.
std::string content_type_of(const std::filesystem::path& file);

}  // namespace kompo::server
