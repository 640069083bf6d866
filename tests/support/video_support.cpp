#include "support/video_support.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "support/support.hpp"

namespace kompo::test {

void make_lavfi_clip(const fs::path& out, const std::string& lavfi,
                     const std::vector<std::string>& extra) {
    std::vector<std::string> args{"-f",      "lavfi",   "-i",        lavfi, "-c:v",
                                  "libx264", "-preset", "ultrafast", "-g",  "15"};
    args.insert(args.end(), extra.begin(), extra.end());
    if (std::find(extra.begin(), extra.end(), "-pix_fmt") == extra.end()) {
        args.insert(args.end(), {"-pix_fmt", "yuv420p"});
    }
    args.push_back(out.string());
    ffmpeg(args);
}

void make_two_colour_clip(const fs::path& out, const std::string& top, const std::string& bottom,
                          int width, int height, double seconds) {
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    make_lavfi_clip(out, "color=c=" + top + ":s=" + size + ":r=30:d=" + std::to_string(seconds) +
                             ",drawbox=x=0:y=ih/2:w=iw:h=ih/2:c=" + bottom + ":t=fill");
}

void add_rotate_tag(const fs::path& in, const fs::path& out, int degrees) {
    ffmpeg({"-i", in.string(), "-c", "copy", "-metadata:s:v:0", "rotate=" + std::to_string(degrees),
            out.string()});
}

plan::OutputFormat small_format(int width, int height, FrameRate rate) {
    plan::OutputFormat format;
    format.width = width;
    format.height = height;
    format.frame_rate = rate;
    return format;
}

plan::OutputFormat small_vp9_format() {
    plan::OutputFormat format = small_format();
    format.container = "webm";
    format.video_codec = plan::VideoCodec::vp9;
    format.crf = 32;
    return format;
}

plan::SegmentPiece footage_piece(const fs::path& source, double start, std::int64_t frames,
                                 const plan::OutputFormat& format) {
    plan::SegmentPiece piece;
    piece.segment_id = "Intro";
    piece.where = "segments[2] (\"Intro\")";
    piece.kind = plan::PictureKind::video;
    piece.source_path = source.string();
    piece.source_start = Seconds(start);
    piece.source_end = Seconds(1e9);
    piece.frame_count = FrameCount(frames);
    piece.format = format;
    return piece;
}

plan::SegmentPiece still_piece(const fs::path& source, std::int64_t frames,
                               const plan::OutputFormat& format) {
    plan::SegmentPiece piece = footage_piece(source, 0, frames, format);
    piece.kind = plan::PictureKind::image;
    return piece;
}

plan::SegmentPiece black_piece(std::int64_t frames, const plan::OutputFormat& format) {
    plan::SegmentPiece piece;
    piece.segment_id = "gap";
    piece.where = "gap at frame 0";
    piece.kind = plan::PictureKind::black;
    piece.frame_count = FrameCount(frames);
    piece.format = format;
    return piece;
}

std::vector<PacketTiming> video_packets(const fs::path& media) {
    auto r = run({"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                  "packet=pts,dts,flags", "-of", "csv=p=0", media.string()});
    if (r.exit_code != 0) throw std::runtime_error("ffprobe failed: " + r.err);
    std::vector<PacketTiming> packets;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string pts, dts, flags;
        std::getline(fields, pts, ',');
        std::getline(fields, dts, ',');
        std::getline(fields, flags, ',');
        PacketTiming p;
        p.pts = std::stoll(pts);
        p.dts = dts == "N/A" ? p.pts : std::stoll(dts);
        p.key = flags.find('K') != std::string::npos;
        packets.push_back(p);
    }
    return packets;
}

}  // namespace kompo::test
