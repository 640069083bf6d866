// waveform_peaks: min/max buckets of sound generated with the ffmpeg program.
#include <fstream>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "media/waveform.hpp"
#include "support/support.hpp"

namespace kompo::media {
namespace {

namespace fs = std::filesystem;
using test::scratch_dir;

// A 440 Hz sine of amplitude 0.5 for 2 s, then 2 s of silence.
const std::string kSineThenSilence = "if(lt(t,2),0.5*sin(2*PI*440*t),0)";

// `channels` equal channels of `expression` (an aevalsrc expression of t). Each channel is
// written by aevalsrc itself: ffmpeg's -ac would spread mono over stereo at -3 dB.
std::string sound_source(const std::string& expression, int channels, int rate, double seconds) {
    std::string exprs = expression;
    for (int c = 1; c < channels; ++c) exprs += "|" + expression;
    return "aevalsrc=exprs='" + exprs + "':s=" + std::to_string(rate) +
           ":d=" + std::to_string(seconds);
}

void make_sound(const fs::path& out, const std::string& expression, int channels, int rate = 48000,
                double seconds = 4.0) {
    test::ffmpeg(
        {"-f", "lavfi", "-i", sound_source(expression, channels, rate, seconds), out.string()});
}

Error waveform_error(const fs::path& file) {
    try {
        waveform_peaks(file, 10);
    } catch (const Error& e) {
        return e;
    }
    ADD_FAILURE() << "the waveform of " << file << " did not fail";
    return Error::internal("no error");
}

TEST(Waveform, FindsTheSoundAndTheSilence) {
    const auto dir = scratch_dir();
    // Stereo as well as mono: the mix to mono keeps equal channels at their level.
    for (int channels : {1, 2}) {
        SCOPED_TRACE(std::to_string(channels) + " channel(s)");
        const auto song = dir / ("song" + std::to_string(channels) + ".wav");
        make_sound(song, kSineThenSilence, channels);

        const WaveformPeaks peaks = waveform_peaks(song, 4);
        EXPECT_NEAR(peaks.duration_seconds, 4.0, 0.01);
        EXPECT_NEAR(peaks.seconds_per_peak, 1.0, 0.01);
        EXPECT_EQ(peaks.sample_rate, 48000);
        ASSERT_EQ(peaks.min.size(), 4u);
        ASSERT_EQ(peaks.max.size(), 4u);
        for (int i : {0, 1}) {
            EXPECT_NEAR(peaks.max[i], 0.5, 0.05) << "bucket " << i;
            EXPECT_NEAR(peaks.min[i], -0.5, 0.05) << "bucket " << i;
        }
        for (int i : {2, 3}) {
            EXPECT_NEAR(peaks.max[i], 0.0, 0.01) << "bucket " << i;
            EXPECT_NEAR(peaks.min[i], 0.0, 0.01) << "bucket " << i;
        }
    }
}

TEST(Waveform, ReturnsAsManyPeaksAsAskedWithinLimits) {
    const auto dir = scratch_dir();
    const auto song = dir / "song.wav";
    make_sound(song, kSineThenSilence, 1);
    for (int asked : {1, 3, 1000}) {
        const WaveformPeaks peaks = waveform_peaks(song, asked);
        EXPECT_EQ(peaks.min.size(), static_cast<std::size_t>(asked));
        EXPECT_EQ(peaks.max.size(), static_cast<std::size_t>(asked));
        EXPECT_NEAR(peaks.seconds_per_peak * asked, 4.0, 0.01);
        for (int i = 0; i < asked; ++i) {
            ASSERT_LE(peaks.min[i], peaks.max[i]) << asked << " peaks, bucket " << i;
            ASSERT_GE(peaks.min[i], -1.0f);
            ASSERT_LE(peaks.max[i], 1.0f);
        }
    }
    const WaveformPeaks one = waveform_peaks(song, 1);
    EXPECT_NEAR(one.max[0], 0.5, 0.05);
    EXPECT_NEAR(one.min[0], -0.5, 0.05);

    EXPECT_EQ(waveform_peaks(song, 0).max.size(), 1u);
    EXPECT_EQ(waveform_peaks(song, -7).max.size(), 1u);
    EXPECT_EQ(waveform_peaks(song, 250000).max.size(), 100000u);
}

// Buckets shorter than a sample still show the sample they lie in.
TEST(Waveform, BucketsShorterThanASampleAreNotEmpty) {
    const auto dir = scratch_dir();
    const auto tone = dir / "dc.wav";
    make_sound(tone, "0.25", 1, 8000, 0.01);  // 80 samples of 0.25
    const WaveformPeaks peaks = waveform_peaks(tone, 1000);
    ASSERT_EQ(peaks.max.size(), 1000u);
    for (int i = 0; i < 1000; ++i) {
        ASSERT_NEAR(peaks.max[i], 0.25, 0.01) << "bucket " << i;
        ASSERT_NEAR(peaks.min[i], 0.25, 0.01) << "bucket " << i;
    }
}

TEST(Waveform, OfTheSoundOfAVideo) {
    const auto dir = scratch_dir();
    const auto clip = dir / "clip.mp4";
    // A stereo AAC track of a 0.5 sine under 2 s of picture.
    test::ffmpeg({"-f", "lavfi", "-i", "color=c=red:s=320x180:r=30:d=2", "-f", "lavfi", "-i",
                  sound_source("0.5*sin(2*PI*440*t)", 2, 44100, 2.0), "-c:v", "libx264", "-preset",
                  "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip.string()});

    const WaveformPeaks peaks = waveform_peaks(clip, 2);
    EXPECT_NEAR(peaks.duration_seconds, 2.0, 0.1);
    EXPECT_EQ(peaks.sample_rate, 44100);
    ASSERT_EQ(peaks.max.size(), 2u);
    ASSERT_EQ(peaks.min.size(), 2u);
    for (int i : {0, 1}) {
        EXPECT_NEAR(peaks.max[i], 0.5, 0.05) << "bucket " << i;
        EXPECT_NEAR(peaks.min[i], -0.5, 0.05) << "bucket " << i;
    }
}

TEST(Waveform, OfASilentFilmFailsNamingTheFile) {
    const auto dir = scratch_dir();
    const auto clip = dir / "silent.mp4";
    test::make_colour_clip(clip, "red", 1.0, 320, 180);
    const Error e = waveform_error(clip);
    EXPECT_EQ(e.kind(), ErrorKind::media);
    EXPECT_NE(std::string(e.what()).find(clip.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no audio"), std::string::npos) << e.what();
}

TEST(Waveform, OfAMissingOrUndecodableFileFailsNamingTheFile) {
    const auto dir = scratch_dir();
    const auto text = dir / "notes.wav";
    std::ofstream(text) << "not a song at all";
    for (const auto& file : {dir / "missing.wav", text}) {
        const Error e = waveform_error(file);
        EXPECT_EQ(e.kind(), ErrorKind::media) << e.what();
        EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace kompo::media
