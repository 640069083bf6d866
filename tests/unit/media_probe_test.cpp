// probe: what a medium is, checked on media generated with the ffmpeg program.
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/probe.hpp"
#include "support/support.hpp"
#include "support/video_support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;
using test::scratch_dir;

Error probe_error(const std::string& path) {
    try {
        probe(path);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "probing " << path << " did not fail";
    return Error::internal("no error");
}

TEST(MediaProbe, DescribesAnH264Clip) {
    const auto clip = scratch_dir() / "clip.mp4";
    test::make_colour_clip(clip, "red", 2.0, 320, 180, "30");

    const MediaInfo info = probe(clip.string());
    EXPECT_EQ(info.path, clip.string());
    EXPECT_NE(info.container.find("mp4"), std::string::npos) << info.container;
    EXPECT_EQ(info.kind, MediaKind::video);
    EXPECT_NEAR(info.duration.value(), 2.0, 0.05);
    ASSERT_TRUE(info.video);
    EXPECT_EQ(info.video->codec, "h264");
    EXPECT_EQ(info.video->width, 320);
    EXPECT_EQ(info.video->height, 180);
    EXPECT_EQ(info.video->frame_rate.num, 30);
    EXPECT_EQ(info.video->frame_rate.den, 1);
    EXPECT_EQ(info.video->pixel_format, "yuv420p");
    EXPECT_EQ(info.video->rotation, 0);
    EXPECT_EQ(info.video->extradata_hash.size(), 32u);
    EXPECT_TRUE(info.video->keyframes.empty()) << "keyframes are scanned only when asked";
    EXPECT_FALSE(info.audio);
}

TEST(MediaProbe, KeepsNtscFrameRateExact) {
    const auto clip = scratch_dir() / "ntsc.mp4";
    test::make_colour_clip(clip, "blue", 1.0, 320, 180, "24000/1001");

    const MediaInfo info = probe(clip.string());
    ASSERT_TRUE(info.video);
    EXPECT_EQ(info.video->frame_rate.num, 24000);
    EXPECT_EQ(info.video->frame_rate.den, 1001);
}

TEST(MediaProbe, EqualEncodingsHaveEqualExtradataHashes) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "a.mp4", "red", 1.0, 320, 180);
    test::make_colour_clip(dir / "b.mp4", "blue", 1.0, 320, 180);
    test::make_colour_clip(dir / "c.mp4", "blue", 1.0, 640, 360);

    const auto hash = [](const fs::path& p) { return probe(p.string()).video->extradata_hash; };
    EXPECT_EQ(hash(dir / "a.mp4"), hash(dir / "b.mp4"));
    EXPECT_NE(hash(dir / "a.mp4"), hash(dir / "c.mp4"));
}

TEST(MediaProbe, ReadsRotationFromTheDisplayMatrix) {
    const auto dir = scratch_dir();
    test::make_two_colour_clip(dir / "plain.mp4", "red", "blue", 320, 180);
    // ffmpeg 5.1 stores the tag as a matrix whose upright turn is the tag's opposite; the
    // ffmpeg program's own autorotation agrees (checked in MediaSegment.RotatesUpright).
    const std::pair<int, int> tag_to_rotation[] = {{270, 90}, {180, 180}, {90, 270}};
    for (const auto& [tag, rotation] : tag_to_rotation) {
        const auto clip = dir / ("rotate" + std::to_string(tag) + ".mp4");
        test::add_rotate_tag(dir / "plain.mp4", clip, tag);
        const MediaInfo info = probe(clip.string());
        ASSERT_TRUE(info.video);
        EXPECT_EQ(info.video->rotation, rotation) << "tag " << tag;
        EXPECT_EQ(info.video->width, 320) << "the coded size stays";
        EXPECT_EQ(info.video->display_width(), rotation == 180 ? 320 : 180);
    }
}

TEST(MediaProbe, PngAndJpegAreImages) {
    const auto dir = scratch_dir();
    test::make_colour_image(dir / "still.png", "green", 64, 48);
    test::make_colour_image(dir / "still.jpg", "green", 64, 48);
    for (const auto* name : {"still.png", "still.jpg"}) {
        const MediaInfo info = probe((dir / name).string());
        EXPECT_EQ(info.kind, MediaKind::image) << name << " (" << info.container << ")";
        EXPECT_EQ(info.duration.value(), 0.0) << name;
        ASSERT_TRUE(info.video) << name;
        EXPECT_EQ(info.video->width, 64);
        EXPECT_EQ(info.video->height, 48);
    }
    EXPECT_EQ(probe((dir / "still.png").string()).video->codec, "png");
    EXPECT_EQ(probe((dir / "still.jpg").string()).video->codec, "mjpeg");
}

TEST(MediaProbe, SoundOnlyIsAudio) {
    const auto track = scratch_dir() / "clicks.wav";
    test::make_click_track(track, 120, 2.0);

    const MediaInfo info = probe(track.string());
    EXPECT_EQ(info.kind, MediaKind::audio);
    EXPECT_FALSE(info.video);
    ASSERT_TRUE(info.audio);
    EXPECT_EQ(info.audio->codec, "pcm_s16le");
    EXPECT_EQ(info.audio->sample_rate, 48000);
    EXPECT_EQ(info.audio->channels, 2);
    EXPECT_NEAR(info.duration.value(), 2.0, 0.01);
}

TEST(MediaProbe, ClipWithSoundHasBothStreams) {
    const auto clip = scratch_dir() / "av.mp4";
    test::ffmpeg({"-f", "lavfi", "-i", "color=c=red:s=320x180:r=25:d=1", "-f", "lavfi", "-i",
                  "sine=f=440:r=44100:d=1", "-c:v", "libx264", "-preset", "ultrafast", "-c:a",
                  "aac", "-ac", "1", "-shortest", clip.string()});
    const MediaInfo info = probe(clip.string());
    EXPECT_EQ(info.kind, MediaKind::video);
    ASSERT_TRUE(info.video && info.audio);
    EXPECT_EQ(info.video->frame_rate.num, 25);
    EXPECT_EQ(info.audio->codec, "aac");
    EXPECT_EQ(info.audio->sample_rate, 44100);
    EXPECT_EQ(info.audio->channels, 1);
}

TEST(MediaProbe, ScansKeyframesWhenAsked) {
    const auto clip = scratch_dir() / "gop.mp4";
    test::make_colour_clip(clip, "red", 2.0, 320, 180);  // a keyframe every 15 frames

    const MediaInfo info = probe(clip.string(), true);
    ASSERT_TRUE(info.video);
    ASSERT_EQ(info.video->keyframes.size(), 4u);
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_NEAR(info.video->keyframes[i].value(), 0.5 * static_cast<double>(i), 1e-6);
    }
}

TEST(MediaProbe, MissingFileIsNamed) {
    const auto path = (scratch_dir() / "nope.mp4").string();
    const Error e = probe_error(path);
    EXPECT_EQ(e.kind(), ErrorKind::media);
    EXPECT_EQ(std::string(e.what()), path + ": file not found");
}

TEST(MediaProbe, GarbageIsNotADecodableMedium) {
    const auto path = scratch_dir() / "garbage.mp4";
    std::ofstream(path) << std::string(4096, '\x5a') << "this is not a video";

    const Error e = probe_error(path.string());
    EXPECT_EQ(e.kind(), ErrorKind::media);
    const std::string message = e.what();
    EXPECT_EQ(message.rfind(path.string() + ": not a decodable medium (", 0), 0u) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace kompo::media
