#include "workflow/piece_json.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace kompo::workflow {
namespace {

using nlohmann::json;

template <typename Enum>
struct Word {
    Enum value;
    std::string_view word;
};

constexpr std::array<Word<plan::VideoCodec>, 2> video_codec_words{{
    {plan::VideoCodec::h264, "h264"},
    {plan::VideoCodec::vp9, "vp9"},
}};
constexpr std::array<Word<plan::AudioCodec>, 2> audio_codec_words{{
    {plan::AudioCodec::aac, "aac"},
    {plan::AudioCodec::opus, "opus"},
}};
constexpr std::array<Word<plan::Fit>, 2> fit_words{{
    {plan::Fit::letterbox, "letterbox"},
    {plan::Fit::crop, "crop"},
}};
constexpr std::array<Word<plan::PictureKind>, 3> picture_kind_words{{
    {plan::PictureKind::video, "video"},
    {plan::PictureKind::image, "image"},
    {plan::PictureKind::black, "black"},
}};
constexpr std::array<Word<MediaKind>, 3> media_kind_words{{
    {MediaKind::video, "video"},
    {MediaKind::audio, "audio"},
    {MediaKind::image, "image"},
}};

template <typename Enum, std::size_t N>
std::string word_of(const std::array<Word<Enum>, N>& words, Enum value) {
    for (const auto& entry : words) {
        if (entry.value == value) return std::string(entry.word);
    }
    throw Error::internal("piece json: enum value " + std::to_string(static_cast<int>(value)) +
                          " has no word");
}

// JSON writes NaN and infinities as null, which would read back as a different piece (and
// hash equal to other broken pieces): refuse them where they are written.
json finite(double value, std::string_view field) {
    if (!std::isfinite(value)) {
        throw Error::internal("piece json: " + std::string(field) + " is not a finite number");
    }
    return value;
}

json frame_rate_json(const FrameRate& rate) {
    return json{{"num", rate.num}, {"den", rate.den}};
}

// Reads the members of one stored object; `what` names the object in every error.
class Fields {
  public:
    Fields(const json& object, std::string what) : object_(object), what_(std::move(what)) {
        if (!object_.is_object()) throw Error::internal(what_ + ": not an object");
    }

    std::string nested(std::string_view key) const { return what_ + "." + std::string(key); }
    bool has(const char* key) const { return object_.contains(key); }

    std::string text(const char* key) const {
        return member(key, [](const json& v) { return v.is_string(); }).get<std::string>();
    }
    double number(const char* key) const {
        return member(key, [](const json& v) { return v.is_number(); }).get<double>();
    }
    Seconds seconds(const char* key) const { return Seconds(number(key)); }
    FrameCount frames(const char* key) const { return FrameCount(int64(key)); }
    bool flag(const char* key) const {
        return member(key, [](const json& v) { return v.is_boolean(); }).get<bool>();
    }
    std::int64_t int64(const char* key) const {
        const json& value = member(key, [](const json& v) { return v.is_number_integer(); });
        if (value.is_number_unsigned() &&
            value.get<std::uint64_t>() >
                static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            fail(key);
        }
        return value.get<std::int64_t>();
    }
    int integer(const char* key) const {
        const std::int64_t value = int64(key);
        if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
            fail(key);
        }
        return static_cast<int>(value);
    }
    const json& object(const char* key) const {
        return member(key, [](const json& v) { return v.is_object(); });
    }
    const json& array(const char* key) const {
        return member(key, [](const json& v) { return v.is_array(); });
    }
    template <typename Enum, std::size_t N>
    Enum word(const char* key, const std::array<Word<Enum>, N>& words) const {
        const std::string text_value = text(key);
        for (const auto& entry : words) {
            if (entry.word == text_value) return entry.value;
        }
        fail(key);
    }

    [[noreturn]] void fail(std::string_view key) const {
        throw Error::internal(what_ + ": " + std::string(key) + " missing or wrong type");
    }

  private:
    template <typename IsKind>
    const json& member(const char* key, IsKind is_kind) const {
        const auto found = object_.find(key);
        if (found == object_.end() || !is_kind(*found)) fail(key);
        return *found;
    }

    const json& object_;
    std::string what_;
};

FrameRate frame_rate_at(const Fields& parent, const char* key) {
    const Fields fields(parent.object(key), parent.nested(key));
    return FrameRate{fields.integer("num"), fields.integer("den")};
}

plan::OutputFormat output_format_at(const json& json_value, std::string what) {
    const Fields fields(json_value, std::move(what));
    plan::OutputFormat format;
    format.width = fields.integer("width");
    format.height = fields.integer("height");
    format.frame_rate = frame_rate_at(fields, "frame_rate");
    format.container = fields.text("container");
    format.video_codec = fields.word("video_codec", video_codec_words);
    format.audio_codec = fields.word("audio_codec", audio_codec_words);
    format.crf = fields.integer("crf");
    format.preset = fields.text("preset");
    format.audio_sample_rate = fields.integer("audio_sample_rate");
    format.audio_channels = fields.integer("audio_channels");
    format.audio_bitrate = fields.integer("audio_bitrate");
    return format;
}

plan::OutputFormat format_of(const Fields& piece) {
    return output_format_at(piece.object("format"), piece.nested("format"));
}

json video_stream_json(const VideoStreamInfo& video) {
    json keyframes = json::array();
    for (const Seconds time : video.keyframes)
        keyframes.push_back(finite(time.value(), "keyframes"));
    return json{{"codec", video.codec},
                {"width", video.width},
                {"height", video.height},
                {"frame_rate", frame_rate_json(video.frame_rate)},
                {"rotation", video.rotation},
                {"pixel_format", video.pixel_format},
                {"extradata_hash", video.extradata_hash},
                {"keyframes", std::move(keyframes)}};
}

json audio_stream_json(const AudioStreamInfo& audio) {
    return json{
        {"codec", audio.codec}, {"sample_rate", audio.sample_rate}, {"channels", audio.channels}};
}

VideoStreamInfo video_stream_at(const Fields& parent) {
    const Fields fields(parent.object("video"), parent.nested("video"));
    VideoStreamInfo video;
    video.codec = fields.text("codec");
    video.width = fields.integer("width");
    video.height = fields.integer("height");
    video.frame_rate = frame_rate_at(fields, "frame_rate");
    video.rotation = fields.integer("rotation");
    video.pixel_format = fields.text("pixel_format");
    video.extradata_hash = fields.text("extradata_hash");
    for (const json& time : fields.array("keyframes")) {
        if (!time.is_number()) fields.fail("keyframes");
        video.keyframes.emplace_back(time.get<double>());
    }
    return video;
}

AudioStreamInfo audio_stream_at(const Fields& parent) {
    const Fields fields(parent.object("audio"), parent.nested("audio"));
    return AudioStreamInfo{fields.text("codec"), fields.integer("sample_rate"),
                           fields.integer("channels")};
}

MediaInfo media_info_at(const json& json_value, std::string what) {
    const Fields fields(json_value, std::move(what));
    MediaInfo info;
    info.path = fields.text("path");
    info.container = fields.text("container");
    info.kind = fields.word("kind", media_kind_words);
    info.duration = fields.seconds("duration");
    if (fields.has("video")) info.video = video_stream_at(fields);
    if (fields.has("audio")) info.audio = audio_stream_at(fields);
    return info;
}

}  // namespace

json to_json(const plan::OutputFormat& format) {
    return json{{"width", format.width},
                {"height", format.height},
                {"frame_rate", frame_rate_json(format.frame_rate)},
                {"container", format.container},
                {"video_codec", word_of(video_codec_words, format.video_codec)},
                {"audio_codec", word_of(audio_codec_words, format.audio_codec)},
                {"crf", format.crf},
                {"preset", format.preset},
                {"audio_sample_rate", format.audio_sample_rate},
                {"audio_channels", format.audio_channels},
                {"audio_bitrate", format.audio_bitrate}};
}

json to_json(const plan::SegmentPiece& piece) {
    return json{{"segment_id", piece.segment_id},
                {"where", piece.where},
                {"kind", word_of(picture_kind_words, piece.kind)},
                {"source_path", piece.source_path},
                {"rotation", piece.rotation},
                {"fit", word_of(fit_words, piece.fit)},
                {"source_start", finite(piece.source_start.value(), "source_start")},
                {"speed", finite(piece.speed, "speed")},
                {"source_end", finite(piece.source_end.value(), "source_end")},
                {"first_frame", piece.first_frame.value()},
                {"frame_count", piece.frame_count.value()},
                {"stream_copy", piece.stream_copy},
                {"format", to_json(piece.format)}};
}

json to_json(const plan::JoinPiece& piece) {
    return json{{"total_frames", piece.total_frames.value()}, {"format", to_json(piece.format)}};
}

json to_json(const plan::SoundPiece& piece) {
    json result{{"where", piece.where},
                {"source_start", finite(piece.source_start.value(), "source_start")},
                {"total_frames", piece.total_frames.value()},
                {"format", to_json(piece.format)}};
    if (piece.source_path) result["source_path"] = *piece.source_path;
    return result;
}

json to_json(const plan::MuxPiece& piece) {
    return json{{"total_frames", piece.total_frames.value()}, {"format", to_json(piece.format)}};
}

json to_json(const MediaInfo& info) {
    json result{{"path", info.path},
                {"container", info.container},
                {"kind", word_of(media_kind_words, info.kind)},
                {"duration", finite(info.duration.value(), "duration")}};
    if (info.video) result["video"] = video_stream_json(*info.video);
    if (info.audio) result["audio"] = audio_stream_json(*info.audio);
    return result;
}

json to_json(const plan::MediaBySource& media) {
    json result = json::object();
    for (const auto& [source_id, info] : media) result[source_id] = to_json(info);
    return result;
}

plan::OutputFormat output_format_from(const json& json_value) {
    return output_format_at(json_value, "output format");
}

void mark_encoded_alone(json& step_params) {
    step_params["encoded_alone"] = true;
}

bool encoded_alone(const json& step_params) {
    const auto found = step_params.find("encoded_alone");
    return found != step_params.end() && found->is_boolean() && found->get<bool>();
}

plan::SegmentPiece segment_piece_from(const json& json_value) {
    const Fields fields(json_value, "segment piece");
    plan::SegmentPiece piece;
    piece.segment_id = fields.text("segment_id");
    piece.where = fields.text("where");
    piece.kind = fields.word("kind", picture_kind_words);
    piece.source_path = fields.text("source_path");
    piece.rotation = fields.integer("rotation");
    piece.fit = fields.word("fit", fit_words);
    piece.source_start = fields.seconds("source_start");
    piece.speed = fields.number("speed");
    piece.source_end = fields.seconds("source_end");
    piece.first_frame = FrameIndex(fields.int64("first_frame"));
    piece.frame_count = fields.frames("frame_count");
    piece.stream_copy = fields.flag("stream_copy");
    piece.format = format_of(fields);
    return piece;
}

plan::JoinPiece join_piece_from(const json& json_value) {
    const Fields fields(json_value, "join piece");
    return plan::JoinPiece{fields.frames("total_frames"), format_of(fields)};
}

plan::SoundPiece sound_piece_from(const json& json_value) {
    const Fields fields(json_value, "sound piece");
    plan::SoundPiece piece;
    if (fields.has("source_path")) piece.source_path = fields.text("source_path");
    piece.where = fields.text("where");
    piece.source_start = fields.seconds("source_start");
    piece.total_frames = fields.frames("total_frames");
    piece.format = format_of(fields);
    return piece;
}

plan::MuxPiece mux_piece_from(const json& json_value) {
    const Fields fields(json_value, "mux piece");
    return plan::MuxPiece{fields.frames("total_frames"), format_of(fields)};
}

MediaInfo media_info_from(const json& json_value) {
    return media_info_at(json_value, "media info");
}

plan::MediaBySource media_by_source_from(const json& json_value) {
    if (!json_value.is_object()) throw Error::internal("media by source: not an object");
    plan::MediaBySource media;
    for (const auto& [source_id, info] : json_value.items()) {
        media.emplace(source_id, media_info_at(info, "media by source." + source_id));
    }
    return media;
}

}  // namespace kompo::workflow
