#include "support/audio_support.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "support/support.hpp"

namespace kompo::test {

std::vector<std::int64_t> click_onsets(const std::vector<float>& samples, float threshold,
                                       std::int64_t quiet) {
    std::vector<std::int64_t> onsets;
    std::int64_t quiet_run = quiet;  // the start of the track counts as after silence
    for (std::size_t i = 0; i < samples.size(); ++i) {
        if (std::fabs(samples[i]) <= threshold) {
            ++quiet_run;
            continue;
        }
        if (quiet_run >= quiet) onsets.push_back(static_cast<std::int64_t>(i));
        quiet_run = 0;
    }
    return onsets;
}

float peak(const std::vector<float>& samples, std::int64_t from, std::int64_t to) {
    const auto size = static_cast<std::int64_t>(samples.size());
    from = std::clamp<std::int64_t>(from, 0, size);
    to = std::clamp<std::int64_t>(to, from, size);
    float result = 0;
    for (std::int64_t i = from; i < to; ++i) result = std::max(result, std::fabs(samples[i]));
    return result;
}

std::vector<std::string> top_level_boxes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + file.string());
    const auto file_size = static_cast<std::uint64_t>(fs::file_size(file));
    std::vector<std::string> boxes;
    std::uint64_t offset = 0;
    while (offset + 8 <= file_size) {
        unsigned char header[16] = {};
        in.seekg(static_cast<std::streamoff>(offset));
        in.read(reinterpret_cast<char*>(header), 8);
        std::uint64_t size =
            (std::uint64_t{header[0]} << 24) | (header[1] << 16) | (header[2] << 8) | header[3];
        boxes.emplace_back(reinterpret_cast<char*>(header + 4), 4);
        if (size == 1) {  // 64-bit size follows the type
            in.read(reinterpret_cast<char*>(header + 8), 8);
            size = 0;
            for (int i = 8; i < 16; ++i) size = (size << 8) | header[i];
        } else if (size == 0) {  // the box runs to the end of the file
            break;
        }
        if (size < 8) throw std::runtime_error("broken box in " + file.string());
        offset += size;
    }
    return boxes;
}

void make_video(const fs::path& out, const std::string& rate, int frames,
                const std::string& codec) {
    std::vector<std::string> args{"-f",        "lavfi",
                                  "-i",        "color=c=blue:s=160x120:r=" + rate,
                                  "-frames:v", std::to_string(frames),
                                  "-pix_fmt",  "yuv420p",
                                  "-c:v",      codec,
                                  "-g",        "30"};
    if (codec == "libx264") {
        args.insert(args.end(), {"-preset", "veryfast"});
    } else {
        args.insert(args.end(), {"-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"});
    }
    args.push_back(out.string());
    ffmpeg(args);
}

}  // namespace kompo::test
