#pragma once
// Creating an output file with libavformat: shared by the segment/join intermediates, the
// soundtrack and the final mux, so all report file-system trouble alike.
#include <string>

#include "media/handles.hpp"

namespace kompo::media {

// A muxer context for `path` ("mp4", "webm", ...). Throws Error(internal): the muxers we
// ask for are always built into FFmpeg.
OutputFormatPtr create_output(const char* muxer, const std::string& path);

// Creates the file and writes its header, once the streams are added (this fixes their
// time bases). Throws Error(io): "PATH: cannot create (why)" / "cannot write the header".
void start_output_file(AVFormatContext& output, const std::string& path,
                       AVDictionary** options = nullptr);

}  // namespace kompo::media
