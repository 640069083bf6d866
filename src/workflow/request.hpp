#pragma once
// What a render execution was asked to do, as stored with it.
#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "komposition/timeline.hpp"

namespace kompo::workflow {

struct RenderRequest {
    std::string komposition;     // canonical JSON text
    std::string media_root;      // absolute folder where relative source urls resolve
    komp::RenderRange range;     // the beats to render (stored as from_beat, to_beat)
    std::string output;          // absolute path to publish the video to; empty: artifact only
    std::string tenant;          // whose render it is (server renders); empty: the CLI's
    std::string komposition_id;  // the stored komposition it renders; empty: a file
    // http(s) sources: fetched (from public addresses) when the server allowed it.
    bool remote_fetch = false;
    std::int64_t remote_max_bytes = 0;
    double remote_timeout_seconds = 0;
};

nlohmann::json to_json(const RenderRequest& request);
// Throws Error(internal) for a malformed stored request.
RenderRequest request_from(const std::string& json_text);

}  // namespace kompo::workflow
