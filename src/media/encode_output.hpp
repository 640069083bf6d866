#pragma once
// The intermediate video file that segments and the join write: one video stream whose
// timestamps count frames, so that joining shifts by whole frames and nothing drifts.
#include <cstdint>
#include <string>

#include "media/handles.hpp"
#include "plan/piece.hpp"

namespace kompo::media {

class IntermediateOutput {
  public:
    // Creates `path` (in the container of intermediate_video_extension) with one video
    // stream described by `parameters`. Throws Error(io) when the file cannot be created.
    IntermediateOutput(const std::string& path, const plan::OutputFormat& format,
                       const AVCodecParameters& parameters);

    // Time base of the packets given to write(): one tick per output frame.
    AVRational frame_time_base() const { return frame_time_base_; }

    // Writes a packet whose pts/dts/duration count frames (consumes its data).
    void write(AVPacket& packet);

    // Writes the index and closes the file.
    void finish();

  private:
    std::string path_;
    OutputFormatPtr output_;
    AVStream* stream_;
    AVRational frame_time_base_;
};

}  // namespace kompo::media
