#pragma once
// Encodes output pictures into an intermediate file: H.264 (libx264) or VP9 (libvpx-vp9),
// with settings taken only from the output format, so that every segment of a render gets
// the same stream headers and the segments join without re-encoding.
#include <cstdint>
#include <memory>
#include <string>

#include "media/encode_output.hpp"
#include "media/handles.hpp"
#include "plan/piece.hpp"

namespace kompo::media {

class VideoEncoder {
  public:
    VideoEncoder(const std::string& path, const plan::OutputFormat& format, int threads);

    // Encodes `picture` as output frame `index` (0, 1, 2, ... without gaps). The picture
    // is not consumed: the same one can be sent again as a later frame (a hold).
    void write(AVFrame& picture, std::int64_t index);

    // Encodes what the encoder still holds and closes the file.
    void finish();

  private:
    void drain(bool flushing);

    std::string path_;
    CodecContextPtr codec_;
    std::unique_ptr<IntermediateOutput> output_;
    PacketPtr packet_;
};

}  // namespace kompo::media
