// thumbnail_jpeg: JPEGs of one moment of media generated with the ffmpeg program, read
// back with ffprobe/ffmpeg (not with our own decoder).
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/thumbnail.hpp"
#include "support/support.hpp"
#include "support/video_support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;
using test::colour;
using test::near_colour;
using test::scratch_dir;

// Red for the first second, blue for the next (30 fps, a keyframe every 15 frames).
void make_red_then_blue(const fs::path& out, const std::string& size = "320x180") {
    test::make_lavfi_clip(out, "color=c=red:s=" + size + ":r=30:d=1[a];color=c=blue:s=" + size +
                                   ":r=30:d=1[b];[a][b]concat=n=2:v=1:a=0");
}

// Writes the thumbnail beside the source, for the ffmpeg program to read.
fs::path thumbnail_file(const fs::path& source, double at, int max_width, const std::string& name) {
    const std::string jpeg = thumbnail_jpeg(source, Seconds(at), max_width);
    const fs::path out = source.parent_path() / name;
    std::ofstream(out, std::ios::binary)
        .write(jpeg.data(), static_cast<std::streamsize>(jpeg.size()));
    return out;
}

struct JpegInfo {
    std::string codec;
    std::string pixel_format;
    int width = 0;
    int height = 0;
};
JpegInfo describe(const fs::path& jpeg) {
    const auto stream = test::ffprobe(jpeg)["streams"][0];
    return {stream["codec_name"], stream["pix_fmt"], stream["width"], stream["height"]};
}

test::Rgb mean_colour(const fs::path& jpeg) {
    const auto colours = test::frame_colours(jpeg);
    if (colours.size() != 1) ADD_FAILURE() << jpeg << ": " << colours.size() << " pictures";
    return colours.empty() ? test::Rgb{-1, -1, -1} : colours[0];
}

Error thumbnail_error(const fs::path& file, double at = 0, int max_width = 320) {
    try {
        thumbnail_jpeg(file, Seconds(at), max_width);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "a thumbnail of " << file << " did not fail";
    return Error::internal("no error");
}

TEST(Thumbnail, ShowsTheFrameDisplayedAtTheTime) {
    const auto dir = scratch_dir();
    make_red_then_blue(dir / "clip.mp4");
    // 0.98 s lies in the last red frame (0.967..1.0), 1.0 s starts the first blue one;
    // 1.4 s is between keyframes (decoded forward from the one at 1.0 s).
    const std::pair<double, const char*> expected[] = {{0.0, "red"},  {0.5, "red"},  {0.98, "red"},
                                                       {1.0, "blue"}, {1.4, "blue"}, {1.5, "blue"}};
    for (const auto& [at, name] : expected) {
        const auto jpeg = thumbnail_file(dir / "clip.mp4", at, 320, std::to_string(at) + ".jpg");
        const auto seen = mean_colour(jpeg);
        EXPECT_TRUE(near_colour(seen, colour(name)))
            << "at " << at << " s: " << seen[0] << "," << seen[1] << "," << seen[2];
    }
}

TEST(Thumbnail, IsAFullRangeJpegAtMostMaxWidthWide) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "hd.mp4", "green", 1.0, 1280, 720);
    const auto jpeg = thumbnail_file(dir / "hd.mp4", 0.5, 320, "hd.jpg");
    const JpegInfo info = describe(jpeg);
    EXPECT_EQ(info.codec, "mjpeg");
    EXPECT_EQ(info.pixel_format, "yuvj420p");
    EXPECT_EQ(info.width, 320);
    EXPECT_EQ(info.height, 180);
    const auto seen = mean_colour(jpeg);
    EXPECT_TRUE(near_colour(seen, colour("green"))) << seen[0] << "," << seen[1] << "," << seen[2];
}

TEST(Thumbnail, KeepsEvenSizesForAnOddMaxWidth) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "hd.mp4", "green", 1.0, 1280, 720);
    const JpegInfo info = describe(thumbnail_file(dir / "hd.mp4", 0, 101, "odd.jpg"));
    EXPECT_EQ(info.width, 100);
    EXPECT_EQ(info.height, 56);  // 100 * 9 / 16 = 56.25
}

TEST(Thumbnail, NeverEnlarges) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "small.mp4", "blue", 1.0, 160, 90);
    const JpegInfo info = describe(thumbnail_file(dir / "small.mp4", 0.2, 320, "small.jpg"));
    EXPECT_EQ(info.width, 160);
    EXPECT_EQ(info.height, 90);
    EXPECT_TRUE(near_colour(mean_colour(dir / "small.jpg"), colour("blue")));
}

// Anamorphic footage: 320x360 coded with pixels twice as wide as high shows as 640x360.
TEST(Thumbnail, SquaresAnamorphicPixels) {
    const auto dir = scratch_dir();
    test::make_lavfi_clip(dir / "wide.mp4", "color=c=red:s=320x360:r=30:d=1,setsar=2/1");
    const JpegInfo info = describe(thumbnail_file(dir / "wide.mp4", 0, 320, "wide.jpg"));
    EXPECT_EQ(info.width, 320);
    EXPECT_EQ(info.height, 180);
}

// A phone clip: coded 320x180 (top half red, bottom half blue), tagged to be turned a
// quarter clockwise, so that upright it is 180x320 with blue on the left, red on the right
// (the reference is the ffmpeg program's autorotation, see MediaSegment.RotatesUpright).
TEST(Thumbnail, TurnsAPhoneClipUpright) {
    const auto dir = scratch_dir();
    test::make_two_colour_clip(dir / "coded.mp4", "red", "blue", 320, 180);
    test::add_rotate_tag(dir / "coded.mp4", dir / "phone.mp4", 270);

    const auto full = thumbnail_file(dir / "phone.mp4", 0.5, 320, "full.jpg");
    JpegInfo info = describe(full);
    EXPECT_EQ(info.width, 180);
    EXPECT_EQ(info.height, 320);
    EXPECT_TRUE(near_colour(test::region_colours(full, 0, 0, 0.45, 1)[0], colour("blue")));
    EXPECT_TRUE(near_colour(test::region_colours(full, 0.55, 0, 0.45, 1)[0], colour("red")));

    const auto small = thumbnail_file(dir / "phone.mp4", 0.5, 90, "small.jpg");
    info = describe(small);
    EXPECT_EQ(info.width, 90);
    EXPECT_EQ(info.height, 160);
    EXPECT_TRUE(near_colour(test::region_colours(small, 0, 0, 0.45, 1)[0], colour("blue")));
    EXPECT_TRUE(near_colour(test::region_colours(small, 0.55, 0, 0.45, 1)[0], colour("red")));
}

TEST(Thumbnail, TimesPastTheEndShowTheLastFrameAndNegativeTimesTheFirst) {
    const auto dir = scratch_dir();
    make_red_then_blue(dir / "clip.mp4");
    EXPECT_TRUE(near_colour(mean_colour(thumbnail_file(dir / "clip.mp4", 2.0, 160, "end.jpg")),
                            colour("blue")));
    EXPECT_TRUE(near_colour(mean_colour(thumbnail_file(dir / "clip.mp4", 100, 160, "late.jpg")),
                            colour("blue")));
    EXPECT_TRUE(near_colour(mean_colour(thumbnail_file(dir / "clip.mp4", -5, 160, "early.jpg")),
                            colour("red")));
}

TEST(Thumbnail, OfAStillImage) {
    const auto dir = scratch_dir();
    test::make_colour_image(dir / "still.png", "yellow", 640, 480);
    const auto jpeg = thumbnail_file(dir / "still.png", 3.0, 320, "still.jpg");
    const JpegInfo info = describe(jpeg);
    EXPECT_EQ(info.width, 320);
    EXPECT_EQ(info.height, 240);
    const auto seen = mean_colour(jpeg);
    EXPECT_TRUE(near_colour(seen, colour("yellow"))) << seen[0] << "," << seen[1] << "," << seen[2];
}

TEST(Thumbnail, OfSoundOnlyFailsNamingTheFile) {
    const auto dir = scratch_dir();
    const auto song = dir / "song.wav";
    test::make_click_track(song, 120, 1.0);
    const Error e = thumbnail_error(song);
    EXPECT_EQ(e.kind(), ErrorKind::media);
    EXPECT_NE(std::string(e.what()).find(song.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no picture"), std::string::npos) << e.what();
}

TEST(Thumbnail, OfAMissingOrUndecodableFileFailsNamingTheFile) {
    const auto dir = scratch_dir();
    const auto text = dir / "notes.mp4";
    std::ofstream(text) << "not a video at all";
    for (const auto& file : {dir / "missing.mp4", text}) {
        const Error e = thumbnail_error(file);
        EXPECT_EQ(e.kind(), ErrorKind::media) << e.what();
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
}

TEST(Thumbnail, RejectsAWidthBelowTwoPixels) {
    const auto dir = scratch_dir();
    test::make_colour_clip(dir / "clip.mp4", "red", 1.0, 320, 180);
    EXPECT_EQ(thumbnail_error(dir / "clip.mp4", 0, 1).kind(), ErrorKind::invalid_input);
    EXPECT_EQ(thumbnail_error(dir / "clip.mp4", 0, 0).kind(), ErrorKind::invalid_input);
}

}  // namespace
}  // namespace kompo::media
