#include "plan/plan.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace kompo::plan {
namespace {

using komp::Komposition;
using komp::Segment;
using komp::Source;

MediaInfo video_medium(const std::string& path, double seconds) {
    MediaInfo info;
    info.path = path;
    info.kind = MediaKind::video;
    info.duration = Seconds(seconds);
    info.video = VideoStreamInfo{};
    info.video->width = 1920;
    info.video->height = 1080;
    return info;
}

Segment segment(const std::string& id, const std::string& source, double start, double length) {
    return Segment{id, source, Beats(start), Beats(length), Beats(start + length), {}, false, {}};
}

Source source(const std::string& id, MediaKind kind, double offset = 0) {
    Source s;
    s.id = id;
    s.url = id;
    s.mediatype = kind;
    s.starting_offset = Seconds(offset);
    return s;
}

struct Fixture {
    Komposition k;
    MediaBySource media;
    Fixture() {
        k.bpm = 120;  // a beat is 0.5 s = 15 frames at 30 fps
        k.sources = {source("a", MediaKind::video, 1.0), source("b", MediaKind::video),
                     source("song", MediaKind::audio, 0.25)};
        media["a"] = video_medium("/m/a.mp4", 60);
        media["b"] = video_medium("/m/b.mp4", 60);
        media["song"] = MediaInfo{"/m/song.flac", "flac", MediaKind::audio, Seconds(60), {}, {}};
    }
};

void expect_contiguous(const Plan& plan) {
    FrameIndex next(0);
    for (const auto& p : plan.segments) {
        EXPECT_EQ(p.first_frame.value(), next.value()) << p.where;
        next = next + p.frame_count;
    }
    EXPECT_EQ((next - FrameIndex(0)).value(), plan.total_frames.value());
}

TEST(Plan, SyncModeShowsSourceTimeOfTheBeat) {
    Fixture f;
    f.k.segments = {segment("one", "a", 0, 4), segment("two", "b", 4, 4)};
    auto plan = make_plan(f.k, f.media);
    ASSERT_EQ(plan.segments.size(), 2u);
    expect_contiguous(plan);
    EXPECT_EQ(plan.total_frames.value(), 120);
    EXPECT_EQ(plan.segments[0].frame_count.value(), 60);
    EXPECT_DOUBLE_EQ(plan.segments[0].source_start.value(), 1.0);  // startingOffset
    EXPECT_DOUBLE_EQ(plan.segments[1].source_start.value(), 2.0);  // beat 4 = 2 s
    EXPECT_EQ(plan.segments[1].kind, PictureKind::video);
    EXPECT_TRUE(plan.warnings.empty());
}

TEST(Plan, GapsBecomeBlackPiecesWithAWarning) {
    Fixture f;
    f.k.segments = {segment("one", "a", 0, 4), segment("two", "b", 6, 2)};
    auto plan = make_plan(f.k, f.media);
    ASSERT_EQ(plan.segments.size(), 3u);
    expect_contiguous(plan);
    EXPECT_EQ(plan.segments[1].kind, PictureKind::black);
    EXPECT_EQ(plan.segments[1].frame_count.value(), 30);
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_NE(plan.warnings[0].find("beats 4 to 6"), std::string::npos) << plan.warnings[0];
}

TEST(Plan, RenderRangeClipsSegmentsAndShiftsTheSoundtrack) {
    Fixture f;
    f.k.segments = {segment("one", "a", 0, 8), segment("two", "b", 8, 8)};
    auto plan = make_plan(f.k, f.media, PlanOptions{{Beats(6), Beats(10)}});
    ASSERT_EQ(plan.segments.size(), 2u);
    expect_contiguous(plan);
    EXPECT_EQ(plan.total_frames.value(), 60);
    // Beat 6 of the timeline is 3 s into it, so source a shows 1 + 3 = 4 s.
    EXPECT_DOUBLE_EQ(plan.segments[0].source_start.value(), 4.0);
    EXPECT_EQ(plan.segments[0].frame_count.value(), 30);
    ASSERT_TRUE(plan.sound.source_path);
    EXPECT_EQ(*plan.sound.source_path, "/m/song.flac");
    EXPECT_DOUBLE_EQ(plan.sound.source_start.value(), 3.25);
}

TEST(Plan, SourceTimingWindowWithStretchFillsTheSegment) {
    Fixture f;
    auto seg = segment("one", "a", 0, 4);  // 2 s = 60 frames
    seg.source_timing = komp::SourceTiming{Seconds(10), Seconds(4), {}};
    seg.stretch = true;
    f.k.segments = {seg};
    auto plan = make_plan(f.k, f.media);
    ASSERT_EQ(plan.segments.size(), 1u);
    EXPECT_DOUBLE_EQ(plan.segments[0].source_start.value(), 10.0);
    EXPECT_DOUBLE_EQ(plan.segments[0].speed, 2.0);
    EXPECT_DOUBLE_EQ(plan.segments[0].source_end.value(), 14.0);
}

TEST(Plan, ShortWindowWithoutStretchHoldsItsLastFrame) {
    Fixture f;
    auto seg = segment("one", "a", 0, 4);
    seg.source_timing = komp::SourceTiming{Seconds(10), Seconds(1), {}};
    f.k.segments = {seg};
    auto plan = make_plan(f.k, f.media);
    EXPECT_DOUBLE_EQ(plan.segments[0].speed, 1.0);
    EXPECT_DOUBLE_EQ(plan.segments[0].source_end.value(), 11.0);
}

TEST(Plan, WindowClippedByTheRangeStartsLaterInTheSource) {
    Fixture f;
    auto seg = segment("one", "a", 0, 8);
    seg.source_timing = komp::SourceTiming{Seconds(10), Seconds(8), {}};
    seg.stretch = true;  // 8 s of source over 4 s: speed 2
    f.k.segments = {seg};
    auto plan = make_plan(f.k, f.media, PlanOptions{{Beats(2), std::nullopt}});
    // Beat 2 is 1 s (30 frames) into the segment: 2 s into the window.
    EXPECT_DOUBLE_EQ(plan.segments[0].source_start.value(), 12.0);
    EXPECT_EQ(plan.segments[0].frame_count.value(), 90);
}

TEST(Plan, WindowPastTheEndOfTheMediumIsHeldWithAWarning) {
    Fixture f;
    f.media["a"] = video_medium("/m/a.mp4", 2.0);
    f.k.segments = {segment("one", "a", 0, 4)};  // needs source 1 s to 3 s
    auto plan = make_plan(f.k, f.media);
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_NE(plan.warnings[0].find("segments[0] (\"one\")"), std::string::npos);
    EXPECT_NE(plan.warnings[0].find("held"), std::string::npos);
}

TEST(Plan, WindowStartingBeforeTheMediumIsHeldOnItsFirstFrameWithAWarning) {
    Fixture f;
    f.k.sources[0].starting_offset = Seconds(-5);
    f.k.segments = {segment("early", "a", 0, 4), segment("two", "b", 4, 4)};
    auto plan = make_plan(f.k, f.media);
    ASSERT_EQ(plan.warnings.size(), 1u);
    EXPECT_EQ(plan.warnings[0],
              "segments[0] (\"early\"): the window starts at -5.000 s, 5.000 s before /m/a.mp4 "
              "begins: its first frame is held until then");
    f.k.sources[0].starting_offset = Seconds(0);
    EXPECT_TRUE(make_plan(f.k, f.media).warnings.empty());
}

TEST(Plan, NothingToRenderIsSaidInWordsTheUserCanActOn) {
    Fixture f;
    const auto message_of = [&](const PlanOptions& options) {
        try {
            make_plan(f.k, f.media, options);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_EQ(message_of({}), "segments: there are none, so there is nothing to render yet");
    f.k.segments = {segment("one", "a", 0, 4)};
    EXPECT_EQ(message_of(PlanOptions{{Beats(3), Beats(2)}}),
              "render range: beats 3 to 2 is empty (its end must come after its start)");
}

TEST(Plan, WindowStartingPastTheEndIsAnErrorNamingTheSegment) {
    Fixture f;
    f.media["b"] = video_medium("/m/b.mp4", 1.0);
    f.k.segments = {segment("one", "a", 0, 4), segment("late", "b", 4, 4)};
    try {
        make_plan(f.k, f.media);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::media);
        EXPECT_NE(std::string(e.what()).find("segments[1] (\"late\")"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("past the end"), std::string::npos) << e.what();
    }
}

TEST(Plan, ImagesFillTheSegmentAndAudioUsedAsPictureIsNotTheSoundtrack) {
    Fixture f;
    f.k.sources.push_back(source("still", MediaKind::image));
    f.media["still"] = MediaInfo{"/m/still.png", "png_pipe", MediaKind::image, Seconds(0), {}, {}};
    f.k.segments = {segment("pic", "still", 0, 4)};
    auto plan = make_plan(f.k, f.media);
    EXPECT_EQ(plan.segments[0].kind, PictureKind::image);
    EXPECT_EQ(plan.segments[0].frame_count.value(), 60);
    ASSERT_TRUE(plan.sound.source_path);
    EXPECT_EQ(plan.sound.where, "sources[2] (\"song\")");

    f.k.segments.push_back(segment("vis", "song", 4, 4));
    f.media["song"].video = VideoStreamInfo{};
    auto plan2 = make_plan(f.k, f.media);
    EXPECT_FALSE(plan2.sound.source_path) << "the only audio source is used as picture";
}

TEST(Plan, FramesComeFromBeatPositionsSoNothingDrifts) {
    Fixture f;
    f.k.bpm = 135;
    f.k.config.framerate = FrameRate{24000, 1001};
    for (int i = 0; i < 64; ++i) {
        f.k.segments.push_back(segment("s" + std::to_string(i), i % 2 ? "a" : "b", i, 1));
    }
    f.media["a"] = video_medium("/m/a.mp4", 600);
    auto plan = make_plan(f.k, f.media);
    expect_contiguous(plan);
    const komp::Timeline tl(f.k);
    for (int i = 0; i < 64; ++i) {
        EXPECT_EQ(plan.segments[static_cast<std::size_t>(i)].first_frame, tl.frame_of(Beats(i)));
    }
}

MediaInfo copyable_medium(const std::string& path, std::vector<double> keyframes) {
    auto info = video_medium(path, 60);
    info.video->codec = "h264";
    info.video->width = 1280;
    info.video->height = 720;
    info.video->pixel_format = "yuv420p";
    info.video->extradata_hash = "same";
    for (double k : keyframes) info.video->keyframes.push_back(Seconds(k));
    return info;
}

TEST(Plan, StreamCopyOnlyWhenEveryWindowStartsAndEndsOnKeyframes) {
    Fixture f;
    f.k.sources[0].starting_offset = Seconds(0);
    f.k.segments = {segment("one", "a", 0, 4), segment("two", "b", 4, 4)};  // 0-2 s, 2-4 s
    f.media["a"] = copyable_medium("/m/a.mp4", {0, 2, 4});
    f.media["b"] = copyable_medium("/m/b.mp4", {0, 2, 4});
    auto plan = make_plan(f.k, f.media);
    EXPECT_TRUE(plan.segments[0].stream_copy);
    EXPECT_TRUE(plan.segments[1].stream_copy);

    f.media["b"] = copyable_medium("/m/b.mp4", {0, 2.5, 4});  // window starts mid-GOP
    plan = make_plan(f.k, f.media);
    EXPECT_FALSE(plan.segments[0].stream_copy) << "all or nothing";
    EXPECT_FALSE(plan.segments[1].stream_copy);

    f.media["b"] = copyable_medium("/m/b.mp4", {0, 2, 4});
    f.media["b"].video->extradata_hash = "other";  // other stream headers
    EXPECT_FALSE(make_plan(f.k, f.media).segments[1].stream_copy);
}

TEST(Plan, EmptyRangeIsAnError) {
    Fixture f;
    f.k.segments = {segment("one", "a", 0, 4)};
    EXPECT_THROW(make_plan(f.k, f.media, PlanOptions{{Beats(4), Beats(4)}}), Error);
}

TEST(Plan, WebmUsesVp9AndOpus) {
    Fixture f;
    f.k.config.extension = "webm";
    auto format = output_format(f.k);
    EXPECT_EQ(format.video_codec, VideoCodec::vp9);
    EXPECT_EQ(format.audio_codec, AudioCodec::opus);
}

}  // namespace
}  // namespace kompo::plan
