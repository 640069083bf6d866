#include "media/decode_input.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"

namespace kompo::media {

void quiet_ffmpeg_logging() {
    static std::once_flag once;
    std::call_once(once, [] {
        const char* level = std::getenv("KOMPO_FFMPEG_LOGLEVEL");
        av_log_set_level(level ? std::atoi(level) : AV_LOG_FATAL);
    });
}

namespace {

[[noreturn]] void throw_open_error(const std::string& path, int code) {
    if (code == AVERROR(EACCES))
        throw Error::io(path + ": cannot read (" + av_error_text(code) + ")");
    throw Error::media(path + ": not a decodable medium (" + av_error_text(code) + ")");
}

bool is_cover_art(const AVStream& stream) {
    return (stream.disposition & AV_DISPOSITION_ATTACHED_PIC) != 0;
}

AVStream* best_stream(AVFormatContext& input, AVMediaType type) {
    const int index = av_find_best_stream(&input, type, -1, -1, nullptr, 0);
    if (index >= 0 && !is_cover_art(*input.streams[index])) return input.streams[index];
    for (unsigned i = 0; i < input.nb_streams; ++i) {
        AVStream* stream = input.streams[i];
        if (stream->codecpar->codec_type == type && !is_cover_art(*stream)) return stream;
    }
    return nullptr;
}

}  // namespace

InputFormatPtr open_input_header(const std::string& path) {
    quiet_ffmpeg_logging();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw Error::media(path + ": file not found");
    if (std::filesystem::is_directory(path, ec))
        throw Error::media(path + ": is a folder, not a medium");

    AVFormatContext* raw = nullptr;
    if (int rc = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); rc < 0) {
        throw_open_error(path, rc);
    }
    return InputFormatPtr(raw);
}

InputFormatPtr open_input(const std::string& path) {
    InputFormatPtr input = open_input_header(path);
    if (int rc = avformat_find_stream_info(input.get(), nullptr); rc < 0) {
        throw_open_error(path, rc);
    }
    return input;
}

AVStream* best_video_stream(AVFormatContext& input) {
    return best_stream(input, AVMEDIA_TYPE_VIDEO);
}

AVStream* best_audio_stream(AVFormatContext& input) {
    return best_stream(input, AVMEDIA_TYPE_AUDIO);
}

void discard_other_streams(AVFormatContext& input, const AVStream& keep) {
    for (unsigned i = 0; i < input.nb_streams; ++i) {
        if (input.streams[i] != &keep) input.streams[i]->discard = AVDISCARD_ALL;
    }
}

SourceClock::SourceClock(const AVFormatContext& input, const AVStream& stream)
    : time_base_(stream.time_base), origin_(0) {
    if (input.start_time != AV_NOPTS_VALUE) {
        origin_ = av_rescale_q(input.start_time, AV_TIME_BASE_Q, time_base_);
    } else if (stream.start_time != AV_NOPTS_VALUE) {
        origin_ = stream.start_time;
    }
}

Seconds SourceClock::seconds(std::int64_t timestamp) const {
    return Seconds(static_cast<double>(timestamp - origin_) * time_base_.num / time_base_.den);
}

std::int64_t SourceClock::timestamp(Seconds t) const {
    // A millionth of a tick of slack: 2.0 s must not become the tick before 2.0 s.
    const double ticks = t.value() * time_base_.den / time_base_.num;
    return origin_ + static_cast<std::int64_t>(std::floor(ticks + 1e-6));
}

bool seek_to_keyframe_before(AVFormatContext& input, const AVStream& stream,
                             const SourceClock& clock, Seconds t) {
    return av_seek_frame(&input, stream.index, clock.timestamp(t), AVSEEK_FLAG_BACKWARD) >= 0;
}

Seconds medium_duration(const AVFormatContext& input, const AVStream* stream) {
    if (input.duration != AV_NOPTS_VALUE && input.duration > 0) {
        return Seconds(static_cast<double>(input.duration) / AV_TIME_BASE);
    }
    if (stream && stream->duration != AV_NOPTS_VALUE && stream->duration > 0) {
        return Seconds(static_cast<double>(stream->duration) * av_q2d(stream->time_base));
    }
    return Seconds(0);
}

std::string seconds_text(Seconds t) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3f", t.value());
    std::string text = buf;
    while (text.size() > 1 && text.back() == '0' && text[text.size() - 2] != '.') text.pop_back();
    return text;
}

}  // namespace kompo::media
