#pragma once
// Opening a medium and reading its video timing: shared by probing, decoding, stream
// copying and joining so that all of them agree on errors and on what "source time" is.
#include <string>

#include "core/units.hpp"
#include "media/handles.hpp"

namespace kompo::media {

// libx264 and the demuxers log to stderr at "info" by default; our errors carry what a
// person needs, so FFmpeg stays quiet unless KOMPO_FFMPEG_LOGLEVEL (a number, e.g. 48 for
// debug) asks otherwise. Process-wide; called before any FFmpeg work (idempotent).
void quiet_ffmpeg_logging();

// Opens `path` for reading and reads its stream parameters.
// Throws Error(media): "PATH: file not found" or "PATH: not a decodable medium (why)".
InputFormatPtr open_input(const std::string& path);

// Opens `path` reading only its container header, without decoding anything: for files
// this program wrote (intermediate mp4), whose header holds the codec, the size and the
// stream headers (extradata). What only decoding tells (the reorder delay, VP9's profile
// and pixel format) stays unset. Throws as open_input does.
InputFormatPtr open_input_header(const std::string& path);

// The main video stream, or nullptr. Cover art (an attached picture in an audio file)
// is not a video stream: it has one frame and no timing.
AVStream* best_video_stream(AVFormatContext& input);
AVStream* best_audio_stream(AVFormatContext& input);

// Only `keep` is demuxed: packets of other streams are dropped inside libavformat
// instead of being read, allocated and thrown away by us.
void discard_other_streams(AVFormatContext& input, const AVStream& keep);

// Source time of a stream: 0 is the start of the medium (mp4 files start at 0, MPEG-TS
// files at an arbitrary clock value; "seconds into the medium" means from its start, as
// players and `ffmpeg -ss` count it).
class SourceClock {
  public:
    SourceClock(const AVFormatContext& input, const AVStream& stream);
    Seconds seconds(std::int64_t timestamp) const;
    std::int64_t timestamp(Seconds t) const;  // rounded down to the stream's time base
    AVRational time_base() const { return time_base_; }

  private:
    AVRational time_base_;
    std::int64_t origin_;
};

// Seeks so that the next packet read is the keyframe at or before source time `t`.
// Returns false when the demuxer cannot seek (the caller then reads from where it is).
bool seek_to_keyframe_before(AVFormatContext& input, const AVStream& stream,
                             const SourceClock& clock, Seconds t);

// Length of the medium: the container's duration, else the stream's, else 0.
Seconds medium_duration(const AVFormatContext& input, const AVStream* stream);

// A time for messages: "12.5", "10.0", "2.033" (milliseconds at most, one decimal at least).
std::string seconds_text(Seconds t);

}  // namespace kompo::media
