#pragma once
// Decodes the main video stream of one medium, forward from a keyframe, in display order.
#include <string>

#include "core/units.hpp"
#include "media/decode_input.hpp"
#include "media/handles.hpp"

namespace kompo::media {

class VideoDecoder {
  public:
    // Opens `path` and its video decoder with `threads` threads (frame and slice threads).
    // Throws Error(media) when the file is missing, undecodable or has no picture.
    VideoDecoder(const std::string& path, int threads);

    // Moves to the keyframe at or before source time `t`; frames decoded before are gone.
    // Returns false when the medium cannot seek (decoding then goes on from where it was).
    bool seek(Seconds t);

    // Frames displayed wholly before source time `t` will not be shown: from now on the
    // decoder skips those no other frame refers to (H.264/HEVC non-reference frames of a
    // constant-rate stream; other codecs decode everything). `t` only grows; the frames
    // that remain come out as before, so the picture does not change.
    void skip_unneeded_before(Seconds t);

    // The next frame in display order, or nullptr after the last one. The frame's
    // sample_aspect_ratio is the one to display it with (container or bitstream).
    FramePtr next();

    // When `frame` is displayed, in source time, and for how long.
    Seconds time_of(const AVFrame& frame) const;
    Seconds duration_of(const AVFrame& frame) const;

    Seconds medium_duration() const;
    const std::string& path() const { return path_; }

  private:
    void feed_decoder();
    bool unneeded(const AVPacket& packet) const;
    void fill_in_timing(AVFrame& frame);

    std::string path_;
    InputFormatPtr input_;
    AVStream* stream_;
    SourceClock clock_;
    CodecContextPtr codec_;
    PacketPtr packet_;
    Seconds frame_duration_;     // 1 / frame rate, for frames that carry no duration
    bool draining_ = false;      // the demuxer is done; the decoder is giving out what it holds
    bool may_skip_ = false;      // skipping non-reference frames is known to be safe here
    Seconds needed_from_{-1.0};  // frames displayed wholly before this are not shown
    std::int64_t last_timestamp_ = AV_NOPTS_VALUE;
};

}  // namespace kompo::media
