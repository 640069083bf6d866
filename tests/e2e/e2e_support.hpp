#pragma once
// Building kompositions and rendering them with the real `kompo` binary.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/support.hpp"

namespace kompo::test {

using Json = nlohmann::ordered_json;

inline Json komposition_doc(double bpm, const Json& framerate, int width = 96, int height = 54) {
    return Json{
        {"_id", "Test"},
        {"type", "Komposition"},
        {"bpm", bpm},
        {"config",
         {{"width", width}, {"height", height}, {"framerate", framerate}, {"extension", "mp4"}}},
        {"segments", Json::array()},
        {"sources", Json::array()}};
}

inline void add_source(Json& doc, const std::string& id, const std::string& url,
                       const std::string& mediatype, double offset = 0) {
    doc["sources"].push_back(Json{{"id", id},
                                  {"url", url},
                                  {"startingOffset", offset},
                                  {"checksums", ""},
                                  {"format", ""},
                                  {"extension", ""},
                                  {"mediatype", mediatype}});
}

inline Json& add_segment(Json& doc, const std::string& id, const std::string& source, double start,
                         double duration) {
    doc["segments"].push_back(Json{{"id", id},
                                   {"sourceid", source},
                                   {"start", start},
                                   {"duration", duration},
                                   {"end", start + duration}});
    return doc["segments"].back();
}

inline fs::path write_doc(const fs::path& dir, const Json& doc,
                          const std::string& name = "k.json") {
    const fs::path path = dir / name;
    std::ofstream(path) << doc.dump(2);
    return path;
}

// Renders and expects success; returns the command's result for further checks.
inline CommandResult render_ok(const fs::path& komposition, const fs::path& out,
                               std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"render",     komposition.string(), "-o",
                                  out.string(), "--progress",         "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = kompo(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(out));
    return r;
}

// The contract's F(b) = round((b - from) * 60 / bpm * fps), computed independently.
inline long frame_of(double beat, double from, double bpm, double fps) {
    return std::lround((beat - from) * 60.0 / bpm * fps);
}

}  // namespace kompo::test
