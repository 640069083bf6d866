#pragma once
// The pieces of a render: what the planner produces and the media engine executes.
// Each piece carries every parameter that decides its output bytes, so that a piece can
// run on any worker and its output can be cached under a hash of the piece.
// Plain data on core types only (no FFmpeg, no JSON).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/units.hpp"

namespace kompo::plan {

enum class VideoCodec { h264, vp9 };
enum class AudioCodec { aac, opus };
enum class Fit { letterbox, crop };
enum class PictureKind { video, image, black };

struct OutputFormat {
    int width = 1280;
    int height = 720;
    FrameRate frame_rate;
    std::string container = "mp4";  // mp4, webm, mov, mkv
    VideoCodec video_codec = VideoCodec::h264;
    AudioCodec audio_codec = AudioCodec::aac;
    // Encoder settings: part of every piece so that separately encoded segments join
    // without re-encoding (identical settings give identical stream headers).
    int crf = 20;
    std::string preset = "veryfast";
    int audio_sample_rate = 48000;
    int audio_channels = 2;
    int audio_bitrate = 192000;
};

// One run of output frames that comes from one picture source (a segment, a chunk of a
// segment, or a black gap). Output frame i (0-based within the piece) shows the source
// frame displayed at source time `source_start + i / fps * speed`; times at or past
// `source_end` show the last frame before it (a hold).
struct SegmentPiece {
    std::string segment_id;  // the komposition's segment id, or "gap" for black
    std::string where;       // `segments[3] ("Intro")`: names the segment in messages
    PictureKind kind = PictureKind::black;
    std::string source_path;  // resolved path of the medium; empty for black
    int rotation = 0;         // clockwise degrees to turn the source upright
    Fit fit = Fit::letterbox;
    Seconds source_start;
    double speed = 1.0;
    Seconds source_end;
    FrameIndex first_frame;  // where the piece starts in the output
    FrameCount frame_count;
    bool stream_copy = false;  // the source's packets are the output (exactly)
    OutputFormat format;
};

// Concatenates the segment pieces' outputs, in order, into one video stream.
struct JoinPiece {
    FrameCount total_frames;
    OutputFormat format;
};

// The soundtrack trimmed to the render range: output time t plays source time
// `source_start + t`; before the source's start and past its end, silence.
struct SoundPiece {
    std::optional<std::string> source_path;  // no soundtrack: a silent track
    std::string where;                       // `sources[2] ("song")`
    Seconds source_start;
    FrameCount total_frames;  // length = total_frames / fps exactly
    OutputFormat format;
};

// Puts the joined picture and the soundtrack into the final container.
struct MuxPiece {
    FrameCount total_frames;
    OutputFormat format;
};

struct Plan {
    OutputFormat format;
    FrameCount total_frames;
    std::vector<SegmentPiece> segments;  // in output order, covering every frame exactly once
    JoinPiece join;
    SoundPiece sound;
    MuxPiece mux;
    std::vector<std::string> warnings;  // one line each, naming the segment
};

}  // namespace kompo::plan
