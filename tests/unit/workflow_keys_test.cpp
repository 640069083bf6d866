#include "workflow/artifact_key.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "support/support.hpp"

namespace kompo::workflow {
namespace {

std::string clip_hash() {
    return hash_hex("clip bytes");
}
std::string song_hash() {
    return hash_hex("song bytes");
}

plan::SegmentPiece video_segment() {
    plan::SegmentPiece piece;
    piece.segment_id = "s1";
    piece.where = "segments[0] (\"One\")";
    piece.kind = plan::PictureKind::video;
    piece.source_path = "/media/clip.mp4";
    piece.source_start = Seconds(1.5);
    piece.source_end = Seconds(9.0);
    piece.first_frame = FrameIndex(30);
    piece.frame_count = FrameCount(90);
    return piece;
}

plan::SoundPiece song_piece() {
    plan::SoundPiece piece;
    piece.source_path = "/media/song.wav";
    piece.where = "sources[1] (\"song\")";
    piece.source_start = Seconds(2.0);
    piece.total_frames = FrameCount(300);
    return piece;
}

using FormatChange = std::function<void(plan::OutputFormat&)>;

// One change per OutputFormat field.
std::vector<FormatChange> format_changes() {
    return {
        [](plan::OutputFormat& f) { f.width = 1920; },
        [](plan::OutputFormat& f) { f.height = 1080; },
        [](plan::OutputFormat& f) {
            f.frame_rate = FrameRate{30000, 1001};
        },
        [](plan::OutputFormat& f) { f.container = "mkv"; },
        [](plan::OutputFormat& f) { f.video_codec = plan::VideoCodec::vp9; },
        [](plan::OutputFormat& f) { f.audio_codec = plan::AudioCodec::opus; },
        [](plan::OutputFormat& f) { f.crf = 21; },
        [](plan::OutputFormat& f) { f.preset = "medium"; },
        [](plan::OutputFormat& f) { f.audio_sample_rate = 44100; },
        [](plan::OutputFormat& f) { f.audio_channels = 1; },
        [](plan::OutputFormat& f) { f.audio_bitrate = 128000; },
    };
}

// Expects every key to differ from `base` and from each other.
void expect_all_distinct(const std::string& base, const std::vector<std::string>& keys) {
    std::set<std::string> seen{base};
    for (std::size_t i = 0; i < keys.size(); ++i) {
        EXPECT_TRUE(seen.insert(keys[i]).second) << "change " << i << " did not change the key";
    }
}

bool is_lower_hex_256(const std::string& text) {
    return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string::npos;
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    ASSERT_TRUE(out.good());
}

TEST(ArtifactKey, HashHexIsBlake2b256) {
    EXPECT_EQ(hash_hex(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    EXPECT_EQ(hash_hex("abc"), "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST(ArtifactKey, EngineVersionIsNamed) {
    EXPECT_FALSE(engine_version().empty());
}

TEST(ArtifactKey, FileContentHashIsTheHashOfItsBytes) {
    const auto dir = test::scratch_dir();
    std::string bytes;
    // Over two 1 MiB chunks, with every byte value, so the streaming path is exercised.
    for (std::size_t i = 0; i < (5u << 19) + 7; ++i) bytes.push_back(static_cast<char>(i * 31));
    write_bytes(dir / "medium.bin", bytes);
    const std::string hash = file_content_hash(dir / "medium.bin");
    EXPECT_EQ(hash, hash_hex(bytes));

    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 1);
    write_bytes(dir / "medium.bin", bytes);
    EXPECT_NE(file_content_hash(dir / "medium.bin"), hash);
    EXPECT_EQ(file_content_hash(dir / "medium.bin"), hash_hex(bytes));

    write_bytes(dir / "empty.bin", "");
    EXPECT_EQ(file_content_hash(dir / "empty.bin"), hash_hex(""));
}

TEST(ArtifactKey, UnreadableFileIsAnIoErrorNamingThePath) {
    const auto dir = test::scratch_dir();
    for (const auto& path : {dir / "missing.bin", dir}) {
        try {
            file_content_hash(path);
            FAIL() << "no error for " << path;
        } catch (const Error& error) {
            EXPECT_EQ(error.kind(), ErrorKind::io);
            EXPECT_EQ(std::string(error.what()).rfind(path.string() + ": cannot read: ", 0), 0u)
                << error.what();
        }
    }
}

TEST(ArtifactKey, SegmentKeyIgnoresWhatDoesNotChangeTheBytes) {
    const std::string key = segment_key(video_segment(), clip_hash());
    EXPECT_TRUE(is_lower_hex_256(key));
    plan::SegmentPiece moved = video_segment();
    moved.segment_id = "other";
    moved.where = "segments[7] (\"Elsewhere\")";
    moved.first_frame = FrameIndex(12345);
    moved.source_path = "/renamed/clip copy.mp4";
    EXPECT_EQ(segment_key(moved, clip_hash()), key);
}

TEST(ArtifactKey, SegmentKeyChangesWithEveryOutputAffectingField) {
    using Change = std::function<void(plan::SegmentPiece&)>;
    std::vector<Change> changes = {
        [](plan::SegmentPiece& p) { p.source_start = Seconds(1.5000000001); },
        [](plan::SegmentPiece& p) { p.speed = 2.0; },
        [](plan::SegmentPiece& p) { p.source_end = Seconds(9.5); },
        [](plan::SegmentPiece& p) { p.frame_count = FrameCount(91); },
        [](plan::SegmentPiece& p) { p.rotation = 90; },
        [](plan::SegmentPiece& p) { p.fit = plan::Fit::crop; },
        [](plan::SegmentPiece& p) { p.kind = plan::PictureKind::image; },
        [](plan::SegmentPiece& p) { p.stream_copy = true; },
    };
    for (const FormatChange& change : format_changes()) {
        changes.push_back([change](plan::SegmentPiece& p) { change(p.format); });
    }
    std::vector<std::string> keys;
    for (const Change& change : changes) {
        plan::SegmentPiece piece = video_segment();
        change(piece);
        keys.push_back(segment_key(piece, clip_hash()));
    }
    keys.push_back(segment_key(video_segment(), song_hash()));
    expect_all_distinct(segment_key(video_segment(), clip_hash()), keys);
}

TEST(ArtifactKey, BlackSegmentsHaveNoSource) {
    plan::SegmentPiece gap;
    gap.segment_id = "gap";
    gap.frame_count = FrameCount(12);
    const std::string key = segment_key(gap, "");
    plan::SegmentPiece later_gap = gap;
    later_gap.first_frame = FrameIndex(500);
    EXPECT_EQ(segment_key(later_gap, ""), key);
    gap.frame_count = FrameCount(13);
    EXPECT_NE(segment_key(gap, ""), key);
}

TEST(ArtifactKey, SegmentKeyRefusesAMismatchedSourceHash) {
    EXPECT_THROW(segment_key(video_segment(), ""), Error);
    EXPECT_THROW(segment_key(plan::SegmentPiece{}, clip_hash()), Error);
}

TEST(ArtifactKey, JoinKeyDependsOnInputsInOrder) {
    const plan::JoinPiece join{FrameCount(180), {}};
    const std::string a = hash_hex("a");
    const std::string b = hash_hex("b");
    const std::string key = join_key(join, {a, b});
    EXPECT_TRUE(is_lower_hex_256(key));
    EXPECT_EQ(join_key(join, {a, b}), key);

    std::vector<std::string> keys = {join_key(join, {b, a}), join_key(join, {a}),
                                     join_key(join, {a, b, a}),
                                     join_key({FrameCount(181), {}}, {a, b})};
    for (const FormatChange& change : format_changes()) {
        plan::JoinPiece changed = join;
        change(changed.format);
        keys.push_back(join_key(changed, {a, b}));
    }
    expect_all_distinct(key, keys);
}

TEST(ArtifactKey, SoundKeyFollowsTheSourceContentNotItsPath) {
    const std::string key = sound_key(song_piece(), song_hash());
    plan::SoundPiece moved = song_piece();
    moved.source_path = "/elsewhere/song.wav";
    moved.where = "sources[4] (\"tune\")";
    EXPECT_EQ(sound_key(moved, song_hash()), key);

    plan::SoundPiece later = song_piece();
    later.source_start = Seconds(2.5);
    plan::SoundPiece longer = song_piece();
    longer.total_frames = FrameCount(301);
    plan::SoundPiece silent = song_piece();
    silent.source_path.reset();
    std::vector<std::string> keys = {sound_key(later, song_hash()), sound_key(longer, song_hash()),
                                     sound_key(song_piece(), clip_hash()), sound_key(silent, "")};
    for (const FormatChange& change : format_changes()) {
        plan::SoundPiece changed = song_piece();
        change(changed.format);
        keys.push_back(sound_key(changed, song_hash()));
    }
    expect_all_distinct(key, keys);

    EXPECT_THROW(sound_key(song_piece(), ""), Error);
    EXPECT_THROW(sound_key(silent, song_hash()), Error);
}

TEST(ArtifactKey, MuxKeyDependsOnBothInputsAndTheFormat) {
    const plan::MuxPiece mux{FrameCount(300), {}};
    const std::string video = hash_hex("video");
    const std::string audio = hash_hex("audio");
    const std::string key = mux_key(mux, video, audio);
    std::vector<std::string> keys = {
        mux_key(mux, audio, video), mux_key(mux, hash_hex("v2"), audio),
        mux_key(mux, video, hash_hex("a2")), mux_key({FrameCount(301), {}}, video, audio)};
    for (const FormatChange& change : format_changes()) {
        plan::MuxPiece changed = mux;
        change(changed.format);
        keys.push_back(mux_key(changed, video, audio));
    }
    expect_all_distinct(key, keys);
}

TEST(ArtifactKey, KeysOfDifferentOperationsDiffer) {
    const std::string input = hash_hex("x");
    EXPECT_NE(join_key({FrameCount(300), {}}, {input, input}),
              mux_key({FrameCount(300), {}}, input, input));
}

// The keys of cached artifacts are stored (cache rows, steps): a refactoring must leave
// them byte for byte as they were, or every cached piece becomes a miss. These are the
// keys `kompo-render-1` gave before frame counts were typed; a deliberate change of the
// output bumps engine_version() and these values with it.
TEST(ArtifactKey, KeysStayWhatTheyWereForTheSameEngineVersion) {
    ASSERT_EQ(engine_version(), "kompo-render-1");
    const auto segment = segment_key(video_segment(), clip_hash());
    EXPECT_EQ(segment, "4c989437f0982a7dc047e0744bbed31cea611763aeb77fa3bf63baad2f6fea83");
    const auto sound = sound_key(song_piece(), song_hash());
    EXPECT_EQ(sound, "cda5f2bad4b24cb47735707ecd0a5251feffb36e4f5c86a0c8a7278c201af25e");
    const auto joined = join_key({FrameCount(300), {}}, {segment});
    EXPECT_EQ(joined, "6fdf85035e3b00299523b743a2234e13e8f733bbae6f8fb1b7b7243d24faf086");
    EXPECT_EQ(mux_key({FrameCount(300), {}}, joined, sound),
              "c0755ce422c5a0280cc10b8a1d3316dc877f1e30f553ab8d25d9aa7a7db3cc8b");
}

}  // namespace
}  // namespace kompo::workflow
