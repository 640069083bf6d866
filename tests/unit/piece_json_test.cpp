#include "workflow/piece_json.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <string>

#include "core/error.hpp"

namespace kompo::workflow {
namespace {

using nlohmann::json;

// Bit for bit, so that -0.0 and the last ulp count.
void expect_same_double(double a, double b) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a), std::bit_cast<std::uint64_t>(b)) << a << " vs " << b;
}

void expect_same_seconds(Seconds a, Seconds b) {
    expect_same_double(a.value(), b.value());
}

void expect_same_rate(const FrameRate& a, const FrameRate& b) {
    EXPECT_EQ(a.num, b.num);
    EXPECT_EQ(a.den, b.den);
}

// Through text, as the store keeps it.
json stored(const json& value) {
    return json::parse(value.dump());
}

// Every field differs from its default.
plan::OutputFormat sample_format() {
    plan::OutputFormat format;
    format.width = 1920;
    format.height = 1080;
    format.frame_rate = FrameRate{30000, 1001};
    format.container = "webm";
    format.video_codec = plan::VideoCodec::vp9;
    format.audio_codec = plan::AudioCodec::opus;
    format.crf = 31;
    format.preset = "slow";
    format.audio_sample_rate = 44100;
    format.audio_channels = 1;
    format.audio_bitrate = 96000;
    return format;
}

void expect_same_format(const plan::OutputFormat& a, const plan::OutputFormat& b) {
    EXPECT_EQ(a.width, b.width);
    EXPECT_EQ(a.height, b.height);
    expect_same_rate(a.frame_rate, b.frame_rate);
    EXPECT_EQ(a.container, b.container);
    EXPECT_EQ(a.video_codec, b.video_codec);
    EXPECT_EQ(a.audio_codec, b.audio_codec);
    EXPECT_EQ(a.crf, b.crf);
    EXPECT_EQ(a.preset, b.preset);
    EXPECT_EQ(a.audio_sample_rate, b.audio_sample_rate);
    EXPECT_EQ(a.audio_channels, b.audio_channels);
    EXPECT_EQ(a.audio_bitrate, b.audio_bitrate);
}

plan::SegmentPiece sample_segment() {
    plan::SegmentPiece piece;
    piece.segment_id = "intro";
    piece.where = "segments[3] (\"Intro\")";
    piece.kind = plan::PictureKind::image;
    piece.source_path = "/media/clips/intro é.mov";
    piece.rotation = 270;
    piece.fit = plan::Fit::crop;
    piece.source_start = Seconds(1.0 / 3.0);
    piece.speed = 0.75;
    piece.source_end = Seconds(12.1);
    piece.first_frame = FrameIndex(8'000'000'000);
    piece.frame_count = FrameCount(6'000'000'000);
    piece.stream_copy = true;
    piece.format = sample_format();
    return piece;
}

MediaInfo sample_media() {
    MediaInfo info;
    info.path = "/media/song.mov";
    info.container = "mov,mp4,m4a,3gp,3g2,mj2";
    info.kind = MediaKind::image;
    info.duration = Seconds(1001.0 / 30000.0);
    info.video = VideoStreamInfo{};
    info.video->codec = "hevc";
    info.video->width = 3840;
    info.video->height = 2160;
    info.video->frame_rate = FrameRate{24000, 1001};
    info.video->rotation = 90;
    info.video->pixel_format = "yuv420p10le";
    info.video->extradata_hash = "abc123";
    info.video->keyframes = {Seconds(0.0), Seconds(0.1), Seconds(2.0 / 3.0)};
    info.audio = AudioStreamInfo{"opus", 44100, 6};
    return info;
}

void expect_same_media(const MediaInfo& a, const MediaInfo& b) {
    EXPECT_EQ(a.path, b.path);
    EXPECT_EQ(a.container, b.container);
    EXPECT_EQ(a.kind, b.kind);
    expect_same_seconds(a.duration, b.duration);
    ASSERT_EQ(a.video.has_value(), b.video.has_value());
    if (a.video) {
        EXPECT_EQ(a.video->codec, b.video->codec);
        EXPECT_EQ(a.video->width, b.video->width);
        EXPECT_EQ(a.video->height, b.video->height);
        expect_same_rate(a.video->frame_rate, b.video->frame_rate);
        EXPECT_EQ(a.video->rotation, b.video->rotation);
        EXPECT_EQ(a.video->pixel_format, b.video->pixel_format);
        EXPECT_EQ(a.video->extradata_hash, b.video->extradata_hash);
        ASSERT_EQ(a.video->keyframes.size(), b.video->keyframes.size());
        for (std::size_t i = 0; i < a.video->keyframes.size(); ++i) {
            expect_same_seconds(a.video->keyframes[i], b.video->keyframes[i]);
        }
    }
    ASSERT_EQ(a.audio.has_value(), b.audio.has_value());
    if (a.audio) {
        EXPECT_EQ(a.audio->codec, b.audio->codec);
        EXPECT_EQ(a.audio->sample_rate, b.audio->sample_rate);
        EXPECT_EQ(a.audio->channels, b.audio->channels);
    }
}

// Expects Error(internal) whose message contains `needle`.
template <typename Read>
void expect_internal_error(Read read, const std::string& needle) {
    try {
        read();
        FAIL() << "no error; expected one mentioning " << needle;
    } catch (const Error& error) {
        EXPECT_EQ(error.kind(), ErrorKind::internal);
        EXPECT_NE(std::string(error.what()).find(needle), std::string::npos) << error.what();
    }
}

TEST(PieceJson, OutputFormatRoundTrips) {
    const plan::OutputFormat format = sample_format();
    expect_same_format(output_format_from(stored(to_json(format))), format);
}

TEST(PieceJson, EnumsAreLowercaseWordsAndFrameRateIsAFraction) {
    const json written = to_json(sample_segment());
    EXPECT_EQ(written["kind"], "image");
    EXPECT_EQ(written["fit"], "crop");
    EXPECT_EQ(written["format"]["video_codec"], "vp9");
    EXPECT_EQ(written["format"]["audio_codec"], "opus");
    EXPECT_EQ(written["format"]["frame_rate"], (json{{"num", 30000}, {"den", 1001}}));
    EXPECT_EQ(to_json(plan::OutputFormat{})["video_codec"], "h264");
    EXPECT_EQ(to_json(plan::SegmentPiece{})["kind"], "black");
    EXPECT_EQ(to_json(plan::SegmentPiece{})["fit"], "letterbox");
}

TEST(PieceJson, SegmentPieceRoundTrips) {
    const plan::SegmentPiece piece = sample_segment();
    const plan::SegmentPiece back = segment_piece_from(stored(to_json(piece)));
    EXPECT_EQ(back.segment_id, piece.segment_id);
    EXPECT_EQ(back.where, piece.where);
    EXPECT_EQ(back.kind, piece.kind);
    EXPECT_EQ(back.source_path, piece.source_path);
    EXPECT_EQ(back.rotation, piece.rotation);
    EXPECT_EQ(back.fit, piece.fit);
    expect_same_seconds(back.source_start, piece.source_start);
    expect_same_double(back.speed, piece.speed);
    expect_same_seconds(back.source_end, piece.source_end);
    EXPECT_EQ(back.first_frame, piece.first_frame);
    EXPECT_EQ(back.frame_count, piece.frame_count);
    EXPECT_EQ(back.stream_copy, piece.stream_copy);
    expect_same_format(back.format, piece.format);
}

TEST(PieceJson, SecondsRoundTripExactly) {
    const double awkward[] = {1.0 / 3.0,
                              0.1,
                              1001.0 / 30000.0,
                              0.1 + 0.2,
                              2.0 / 3.0,
                              -0.0,
                              1e-300,
                              std::numeric_limits<double>::denorm_min(),
                              std::numeric_limits<double>::max(),
                              123456789.123456789,
                              7.0 * 1001.0 / 24000.0};
    for (const double value : awkward) {
        plan::SegmentPiece piece = sample_segment();
        piece.source_start = Seconds(value);
        piece.speed = value;
        const plan::SegmentPiece back = segment_piece_from(stored(to_json(piece)));
        expect_same_seconds(back.source_start, piece.source_start);
        expect_same_double(back.speed, value);
    }
}

TEST(PieceJson, NonFiniteSecondsAreRefusedWhenWritten) {
    plan::SegmentPiece piece = sample_segment();
    piece.source_end = Seconds(std::numeric_limits<double>::quiet_NaN());
    expect_internal_error([&] { return to_json(piece); }, "source_end");
}

TEST(PieceJson, JoinAndMuxPiecesRoundTrip) {
    const plan::JoinPiece join{FrameCount(123'456'789'012), sample_format()};
    const plan::JoinPiece join_back = join_piece_from(stored(to_json(join)));
    EXPECT_EQ(join_back.total_frames, join.total_frames);
    expect_same_format(join_back.format, join.format);

    const plan::MuxPiece mux{FrameCount(987), sample_format()};
    const plan::MuxPiece mux_back = mux_piece_from(stored(to_json(mux)));
    EXPECT_EQ(mux_back.total_frames, mux.total_frames);
    expect_same_format(mux_back.format, mux.format);
}

TEST(PieceJson, SoundPieceRoundTrips) {
    plan::SoundPiece piece;
    piece.source_path = "/media/song.flac";
    piece.where = "sources[2] (\"song\")";
    piece.source_start = Seconds(0.1);
    piece.total_frames = FrameCount(4321);
    piece.format = sample_format();
    const plan::SoundPiece back = sound_piece_from(stored(to_json(piece)));
    EXPECT_EQ(back.source_path, piece.source_path);
    EXPECT_EQ(back.where, piece.where);
    expect_same_seconds(back.source_start, piece.source_start);
    EXPECT_EQ(back.total_frames, piece.total_frames);
    expect_same_format(back.format, piece.format);
}

TEST(PieceJson, SilentSoundPieceHasNoSourcePath) {
    plan::SoundPiece piece;
    piece.where = "silence";
    const json written = to_json(piece);
    EXPECT_FALSE(written.contains("source_path"));
    EXPECT_FALSE(sound_piece_from(stored(written)).source_path.has_value());

    piece.source_path = "";  // present but empty stays present
    EXPECT_EQ(sound_piece_from(stored(to_json(piece))).source_path, std::optional<std::string>(""));
}

TEST(PieceJson, MediaInfoRoundTrips) {
    const MediaInfo info = sample_media();
    expect_same_media(media_info_from(stored(to_json(info))), info);
}

TEST(PieceJson, MediaInfoWithoutStreamsHasNoStreamFields) {
    MediaInfo info = sample_media();
    info.kind = MediaKind::audio;
    info.video.reset();
    info.audio.reset();
    const json written = to_json(info);
    EXPECT_EQ(written["kind"], "audio");
    EXPECT_FALSE(written.contains("video"));
    EXPECT_FALSE(written.contains("audio"));
    expect_same_media(media_info_from(stored(written)), info);
}

TEST(PieceJson, MediaBySourceRoundTrips) {
    plan::MediaBySource media;
    media["clip"] = sample_media();
    MediaInfo song = sample_media();
    song.path = "/media/other.wav";
    song.kind = MediaKind::video;
    song.video.reset();
    media["song"] = song;
    const json written = to_json(media);
    EXPECT_TRUE(written.is_object());
    const plan::MediaBySource back = media_by_source_from(stored(written));
    ASSERT_EQ(back.size(), 2u);
    expect_same_media(back.at("clip"), media.at("clip"));
    expect_same_media(back.at("song"), media.at("song"));
    EXPECT_TRUE(media_by_source_from(json::object()).empty());
}

TEST(PieceJson, MissingFieldIsAnInternalErrorNamingIt) {
    json written = to_json(sample_segment());
    written.erase("frame_count");
    expect_internal_error([&] { return segment_piece_from(written); },
                          "segment piece: frame_count missing or wrong type");

    json format_without_crf = to_json(sample_segment());
    format_without_crf["format"].erase("crf");
    expect_internal_error([&] { return segment_piece_from(format_without_crf); },
                          "segment piece.format: crf missing or wrong type");
}

TEST(PieceJson, WrongTypesAreInternalErrors) {
    const json good = to_json(sample_segment());
    const auto with = [&](const json::json_pointer& where, const json& value) {
        json changed = good;
        changed[where] = value;
        return changed;
    };
    expect_internal_error(
        [&] { return segment_piece_from(with(json::json_pointer("/speed"), "1")); }, "speed");
    expect_internal_error(
        [&] { return segment_piece_from(with(json::json_pointer("/rotation"), 1.5)); }, "rotation");
    expect_internal_error(
        [&] { return segment_piece_from(with(json::json_pointer("/rotation"), 1LL << 40)); },
        "rotation");
    expect_internal_error(
        [&] {
            return segment_piece_from(with(json::json_pointer("/frame_count"),
                                           std::numeric_limits<std::uint64_t>::max()));
        },
        "frame_count");
    expect_internal_error(
        [&] { return segment_piece_from(with(json::json_pointer("/stream_copy"), 1)); },
        "stream_copy");
    expect_internal_error(
        [&] { return segment_piece_from(with(json::json_pointer("/kind"), "Video")); }, "kind");
    expect_internal_error(
        [&] {
            return segment_piece_from(with(json::json_pointer("/format/frame_rate/num"), "30"));
        },
        "segment piece.format.frame_rate: num");
    expect_internal_error(
        [&] { return segment_piece_from(with(json::json_pointer("/format"), json::array())); },
        "format");
}

TEST(PieceJson, NonObjectsAreInternalErrors) {
    expect_internal_error([] { return segment_piece_from(json()); }, "segment piece");
    expect_internal_error([] { return join_piece_from(json::array()); }, "join piece");
    expect_internal_error([] { return sound_piece_from(json(3)); }, "sound piece");
    expect_internal_error([] { return mux_piece_from(json("x")); }, "mux piece");
    expect_internal_error([] { return output_format_from(json()); }, "output format");
    expect_internal_error([] { return media_info_from(json()); }, "media info");
    expect_internal_error([] { return media_by_source_from(json::array()); }, "media by source");
}

TEST(PieceJson, MalformedMediaNamesTheNestedField) {
    json written = to_json(sample_media());
    written["video"]["keyframes"].push_back("soon");
    expect_internal_error([&] { return media_info_from(written); },
                          "media info.video: keyframes missing or wrong type");

    json media{{"clip", to_json(sample_media())}};
    media["clip"]["audio"].erase("channels");
    expect_internal_error([&] { return media_by_source_from(media); },
                          "media by source.clip.audio: channels");
}

}  // namespace
}  // namespace kompo::workflow
