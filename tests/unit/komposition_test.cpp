#include "komposition/komposition.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/error.hpp"
#include "core/field_error.hpp"

namespace kompo::komp {
namespace {

// The contract's example as the Elm editor writes it, with fields the platform does not
// know (`_rev`, `name`, `format`, `colour`, `notes`) that must survive a round trip.
const char* const kElmDocument = R"({
  "_id": "Demo_Video",
  "_rev": "3-9f1c",
  "name": "Demo video",
  "type": "Komposition",
  "bpm": 120,
  "config": {"width": 1280, "height": 720, "framerate": 30, "extension": "mp4", "preset": "fast"},
  "beatpattern": {"frombeat": 0, "tobeat": 64, "masterbpm": 120},
  "segments": [
    {"id": "Intro", "sourceid": "clip_a", "start": 0, "duration": 16, "end": 16, "colour": "red"},
    {"id": "Verse", "sourceid": "clip_a", "start": 16, "duration": 32, "end": 48}
  ],
  "sources": [
    {"id": "clip_a", "url": "media/clip_a.mp4", "startingOffset": 0, "checksums": "",
     "format": "", "extension": "mp4", "mediatype": "video", "width": 1920, "height": 1080},
    {"id": "song", "url": "media/song.flac", "startingOffset": 1.25, "checksums": "",
     "format": "", "extension": "flac", "mediatype": "audio"}
  ],
  "notes": {"by": "editor", "tags": ["a", {"b": [1, 2.5]}]}
})";

// The same komposition as a tool writes it (the second dialect).
const char* const kToolDocument = R"({
  "id": "Demo_Video",
  "bpm": 120.0,
  "config": {"width": 1280, "height": 720, "framerate": 30, "extensionType": "mp4"},
  "beatpattern": {"frombeat": 0, "tobeat": 64, "masterbpm": 120},
  "segments": [
    {"id": "Intro", "sourceid": "clip_a", "start": 0, "duration": 16},
    {"id": "Verse", "sourceid": "clip_a", "start": 16.0, "end": 48.0}
  ],
  "sources": [
    {"id": "clip_a", "url": "file://clip_a.mp4", "startingOffset": null, "width": 1920, "height": 1080},
    {"id": "song", "url": "file://song.flac", "startingOffset": 1.25, "mediatype": "AUDIO"}
  ]
})";

// Parses and validates; returns the message of the Error it throws ("" when none), after
// checking that it is one line and of kind invalid_input.
std::string error_of(const std::string& text) {
    try {
        validate(parse(text, "k.json"));
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::invalid_input) << e.what();
        EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        return e.what();
    }
    return "";
}

// kElmDocument with one change made to its JSON.
std::string elm_with(const std::function<void(Json&)>& change) {
    Json doc = Json::parse(kElmDocument);
    change(doc);
    return doc.dump();
}

// ---- reading ---------------------------------------------------------------------------

TEST(KompositionParse, ElmDialectGivesTheTypedValues) {
    const Komposition k = parse(kElmDocument);
    EXPECT_EQ(k.id, "Demo_Video");
    EXPECT_EQ(k.type, "Komposition");
    EXPECT_EQ(k.bpm, 120);
    EXPECT_EQ(k.config.width, 1280);
    EXPECT_EQ(k.config.height, 720);
    EXPECT_EQ(k.config.framerate, (FrameRate{30, 1}));
    EXPECT_EQ(k.config.extension, "mp4");
    EXPECT_EQ(k.config.fit, Fit::letterbox);
    ASSERT_TRUE(k.beatpattern);
    EXPECT_EQ(k.beatpattern->from.value(), 0);
    EXPECT_EQ(k.beatpattern->to.value(), 64);
    EXPECT_EQ(k.beatpattern->master_bpm, 120);
    ASSERT_EQ(k.segments.size(), 2u);
    EXPECT_EQ(k.segments[1].id, "Verse");
    EXPECT_EQ(k.segments[1].source_id, "clip_a");
    EXPECT_EQ(k.segments[1].start.value(), 16);
    EXPECT_EQ(k.segments[1].duration.value(), 32);
    EXPECT_EQ(k.segments[1].end.value(), 48);
    EXPECT_FALSE(k.segments[1].stretch);
    EXPECT_FALSE(k.segments[1].source_timing);
    ASSERT_EQ(k.sources.size(), 2u);
    EXPECT_EQ(k.sources[0].mediatype, MediaKind::video);
    EXPECT_EQ(k.sources[0].width, 1920);
    EXPECT_EQ(k.sources[0].height, 1080);
    EXPECT_EQ(k.sources[1].mediatype, MediaKind::audio);
    EXPECT_EQ(k.sources[1].starting_offset.value(), 1.25);
    EXPECT_EQ(k.sources[1].extension, "flac");
    EXPECT_NO_THROW(validate(k));
}

TEST(KompositionParse, BothDialectsGiveTheSameTypedValues) {
    const Komposition elm = parse(kElmDocument);
    const Komposition tool = parse(kToolDocument);
    EXPECT_EQ(tool.id, elm.id);
    EXPECT_EQ(tool.type, elm.type);
    EXPECT_EQ(tool.bpm, elm.bpm);
    EXPECT_EQ(tool.config.extension, elm.config.extension);
    EXPECT_EQ(tool.config.framerate, elm.config.framerate);
    ASSERT_EQ(tool.segments.size(), elm.segments.size());
    for (std::size_t i = 0; i < elm.segments.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(tool.segments[i].start, elm.segments[i].start);
        EXPECT_EQ(tool.segments[i].duration, elm.segments[i].duration);
        EXPECT_EQ(tool.segments[i].end, elm.segments[i].end);
    }
    ASSERT_EQ(tool.sources.size(), elm.sources.size());
    for (std::size_t i = 0; i < elm.sources.size(); ++i) {
        SCOPED_TRACE(i);
        EXPECT_EQ(tool.sources[i].id, elm.sources[i].id);
        EXPECT_EQ(tool.sources[i].mediatype, elm.sources[i].mediatype);
        EXPECT_EQ(tool.sources[i].starting_offset, elm.sources[i].starting_offset);
    }
    EXPECT_EQ(tool.sources[0].url, "file://clip_a.mp4");  // resolved later, against the media root
    EXPECT_NO_THROW(validate(tool));
}

TEST(KompositionParse, MissingConfigAndTypeTakeTheDefaults) {
    const Komposition k = parse(R"({"_id": "k", "bpm": 90})");
    EXPECT_EQ(k.type, "Komposition");
    EXPECT_EQ(k.config.width, 1280);
    EXPECT_EQ(k.config.height, 720);
    EXPECT_EQ(k.config.framerate, (FrameRate{30, 1}));
    EXPECT_EQ(k.config.extension, "mp4");
    EXPECT_FALSE(k.beatpattern);
    EXPECT_TRUE(k.segments.empty());
    EXPECT_NO_THROW(validate(k));
}

TEST(KompositionParse, MediatypeIsCaseInsensitiveAndInferredWhenEmpty) {
    const Komposition k = parse(R"({"_id": "k", "bpm": 90, "sources": [
        {"id": "a", "url": "x.mp4", "mediatype": "Image"},
        {"id": "b", "url": "pics/cover.JPEG?size=large", "mediatype": ""},
        {"id": "c", "url": "song.opus"},
        {"id": "d", "url": "noext", "extension": "wav"},
        {"id": "e", "url": "clip.mov"}]})");
    EXPECT_EQ(k.sources[0].mediatype, MediaKind::image);
    EXPECT_EQ(k.sources[1].mediatype, MediaKind::image);
    EXPECT_EQ(k.sources[2].mediatype, MediaKind::audio);
    EXPECT_EQ(k.sources[3].mediatype, MediaKind::audio);
    EXPECT_EQ(k.sources[4].mediatype, MediaKind::video);
}

TEST(KompositionParse, SegmentFitStretchAndSourceTiming) {
    const Komposition k = parse(R"({"_id": "k", "bpm": 120, "config": {"fit": "crop"},
      "segments": [
        {"sourceid": "a", "start": 0, "duration": 4, "fit": "letterbox",
         "source_timing": {"original_start": 2.5, "original_duration": 3}},
        {"sourceid": "a", "start": 4, "duration": 4, "fit": "stretch"},
        {"sourceid": "a", "start": 8, "duration": 4, "stretch_factor": 1.5, "fit": "crop"},
        {"sourceid": "p", "start": 12, "duration": 4, "source_timing": {"static_duration": 2}}],
      "sources": [{"id": "a", "url": "a.mp4"}, {"id": "p", "url": "p.png"}]})");
    EXPECT_EQ(k.config.fit, Fit::crop);
    const auto& s = k.segments;
    EXPECT_EQ(s[0].fit, Fit::letterbox);
    EXPECT_FALSE(s[0].stretch);
    ASSERT_TRUE(s[0].source_timing);
    EXPECT_EQ(s[0].source_timing->original_start, Seconds(2.5));
    EXPECT_EQ(s[0].source_timing->original_duration, Seconds(3));
    EXPECT_FALSE(s[0].source_timing->static_duration);
    EXPECT_TRUE(s[1].stretch);
    EXPECT_FALSE(s[1].fit);
    EXPECT_TRUE(s[2].stretch);
    EXPECT_EQ(s[2].fit, Fit::crop);
    EXPECT_EQ(s[3].source_timing->static_duration, Seconds(2));
    EXPECT_EQ(s[0].id, "");  // segment ids are optional
    EXPECT_NO_THROW(validate(k));
}

TEST(KompositionParse, KeepsTheWholeDocument) {
    const Komposition k = parse(kElmDocument);
    EXPECT_EQ(k.document, Json::parse(kElmDocument));
    EXPECT_EQ(k.document["notes"]["tags"][1]["b"][1], 2.5);
}

TEST(KompositionParse, FromJsonReadsADocumentBuiltInCode) {
    Json doc = {{"id", "made"}, {"bpm", 100}, {"segments", Json::array()}};
    const Komposition k = from_json(doc);
    EXPECT_EQ(k.id, "made");
    EXPECT_EQ(k.bpm, 100);
    EXPECT_EQ(k.document, doc);
}

TEST(KompositionParse, FindSource) {
    const Komposition k = parse(kElmDocument);
    ASSERT_NE(k.find_source("song"), nullptr);
    EXPECT_EQ(k.find_source("song")->url, "media/song.flac");
    EXPECT_EQ(k.find_source("nope"), nullptr);
}

TEST(KompositionParse, MediumDocumentsNeedNoBeatGrid) {
    const Komposition k = parse(R"({"_id": "v1", "type": "Video",
        "sources": [{"id": "v", "url": "v.mp4"}]})");
    EXPECT_EQ(k.type, "Video");
    EXPECT_NO_THROW(validate(k));
}

// ---- frame rates -----------------------------------------------------------------------

TEST(KompositionFrameRate, NtscRatesAreExactFractions) {
    EXPECT_EQ(frame_rate_from_number(23.976), (FrameRate{24000, 1001}));
    EXPECT_EQ(frame_rate_from_number(23.98), (FrameRate{24000, 1001}));
    EXPECT_EQ(frame_rate_from_number(29.97), (FrameRate{30000, 1001}));
    EXPECT_EQ(frame_rate_from_number(59.94), (FrameRate{60000, 1001}));
}

TEST(KompositionFrameRate, WholeRatesAndZero) {
    EXPECT_EQ(frame_rate_from_number(0), (FrameRate{30, 1}));
    const FrameRate pal = frame_rate_from_number(25);
    EXPECT_EQ(pal.num, 25);
    EXPECT_EQ(pal.den, 1);
    EXPECT_EQ(frame_rate_from_number(60).num, 60);
}

TEST(KompositionFrameRate, OtherFractionsGetSmallDenominators) {
    const FrameRate half = frame_rate_from_number(12.5);
    EXPECT_EQ(half.num, 25);
    EXPECT_EQ(half.den, 2);
    const FrameRate third = frame_rate_from_number(33.333333);
    EXPECT_EQ(third.num, 100);
    EXPECT_EQ(third.den, 3);
    EXPECT_NEAR(frame_rate_from_number(14.3).as_double(), 14.3, 1e-4);
    EXPECT_LE(frame_rate_from_number(14.3).den, 1001);
}

TEST(KompositionFrameRate, OutOfRangeIsAnError) {
    EXPECT_THROW(frame_rate_from_number(-1), Error);
    EXPECT_THROW(frame_rate_from_number(0.5), Error);
    EXPECT_THROW(frame_rate_from_number(5000), Error);
}

TEST(KompositionFrameRate, DocumentRatesAreMapped) {
    auto rate_of = [](const char* framerate) {
        return parse(std::string(R"({"_id":"k","bpm":120,"config":{"framerate":)") + framerate +
                     "}}")
            .config.framerate;
    };
    EXPECT_EQ(rate_of("0"), (FrameRate{30, 1}));
    EXPECT_EQ(rate_of("23.976"), (FrameRate{24000, 1001}));
    EXPECT_EQ(rate_of("29.97"), (FrameRate{30000, 1001}));
    EXPECT_EQ(rate_of("50.0"), (FrameRate{50, 1}));
}

// ---- errors ----------------------------------------------------------------------------

// The path of the field a validation error is about travels as data (the server's 422
// "field"), the same path the message starts with.
TEST(KompositionErrors, TheFieldOfAnErrorIsData) {
    const auto field_of = [](const std::string& text) {
        try {
            validate(parse(text, "k.json"));
        } catch (const FieldError& e) {
            EXPECT_EQ(std::string(e.what()).rfind(e.field() + ": ", 0), 0u) << e.what();
            return e.field();
        }
        return std::string("(no error)");
    };
    EXPECT_EQ(field_of(elm_with([](Json& d) { d["segments"][1]["end"] = 10; })), "segments[1].end");
    EXPECT_EQ(field_of(elm_with([](Json& d) { d["config"]["width"] = 1281; })), "config.width");
    EXPECT_EQ(field_of(elm_with([](Json& d) { d["segments"][0]["sourceid"] = "nope"; })),
              "segments[0].sourceid");
    EXPECT_EQ(field_of(kElmDocument), "(no error)");
}

TEST(KompositionErrors, MalformedJsonNamesFileLineAndColumn) {
    const std::string message = error_of("{\n  \"_id\": \"k\",\n  \"bpm\": tru,\n}");
    EXPECT_EQ(message.rfind("k.json: malformed JSON at line 3, column 13: ", 0), 0u) << message;
    EXPECT_NE(message.find("invalid literal"), std::string::npos) << message;
}

TEST(KompositionErrors, EmptyAndTruncatedText) {
    EXPECT_EQ(error_of("").rfind("k.json: malformed JSON at line 1, column 1: ", 0), 0u);
    EXPECT_EQ(
        error_of("{\"_id\": \"k\",\n").rfind("k.json: malformed JSON at line 2, column 1: ", 0),
        0u);
}

TEST(KompositionErrors, NumberTooLargeForADouble) {
    EXPECT_EQ(error_of("{\"_id\": \"k\",\n \"bpm\": 1e400}"),
              "k.json: malformed JSON at line 2, column 9: number out of range (1e400)");
}

TEST(KompositionErrors, DeepNestingIsRefusedWithItsLine) {
    std::string deep = "{\"_id\": \"k\", \"bpm\": 1,\n\"x\": ";
    for (int i = 0; i < 100000; ++i) deep += '[';
    EXPECT_EQ(error_of(deep), "k.json: nested deeper than 64 levels at line 2, column 69");
    std::string fine = "{\"_id\": \"k\", \"bpm\": 1, \"x\": ";
    fine += std::string(63, '[') + std::string(63, ']') + "}";
    EXPECT_EQ(error_of(fine), "");
}

TEST(KompositionErrors, ASyntaxErrorBeforeDeepNestingIsReportedFirst) {
    const std::string deep = "{\"_id\": x,\n\"y\": " + std::string(1000, '[');
    EXPECT_EQ(error_of(deep).rfind("k.json: malformed JSON at line 1, column 9: ", 0), 0u)
        << error_of(deep);
}

TEST(KompositionErrors, TopLevelMustBeAnObject) {
    EXPECT_EQ(error_of("[1, 2]"), "k.json: expected a JSON object at the top level, got an array");
}

struct ErrorCase {
    const char* name;
    std::function<void(Json&)> change;
    std::string message;
};

class KompositionFieldErrors : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(KompositionFieldErrors, MessageNamesTheField) {
    EXPECT_EQ(error_of(elm_with(GetParam().change)), GetParam().message);
}

const ErrorCase kFieldErrors[] = {
    {"StartNotANumber", [](Json& d) { d["segments"][1]["start"] = "16"; },
     "segments[1].start: expected a number, got a string"},
    {"IdMissing", [](Json& d) { d.erase("_id"); },
     "_id: missing (the document id; \"id\" is also accepted)"},
    {"IdNotAString", [](Json& d) { d["_id"] = 7; }, "_id: expected a string, got a number"},
    {"IdEmpty", [](Json& d) { d["_id"] = ""; }, "_id: must not be empty"},
    {"BpmNegative", [](Json& d) { d["bpm"] = -3; }, "bpm: must be greater than 0, got -3"},
    {"BpmMissing", [](Json& d) { d.erase("bpm"); },
     "bpm: missing (beats per minute of the timeline)"},
    {"TypeUnknown", [](Json& d) { d["type"] = "Movie"; },
     "type: \"Movie\" is not Komposition, Video, Audio or Image"},
    {"UnknownSourceId", [](Json& d) { d["segments"][1]["sourceid"] = "clip_x"; },
     "segments[1].sourceid: no source has id \"clip_x\""},
    {"SourceIdMissing", [](Json& d) { d["segments"][0].erase("sourceid"); },
     "segments[0].sourceid: missing (the id of a source)"},
    {"EndNotStartPlusDuration",
     [](Json& d) {
         d["segments"][1] = {{"sourceid", "clip_a"}, {"start", 8}, {"duration", 8}, {"end", 20}};
     },
     "segments[1].end: 20 is not start + duration (8 + 8 = 16)"},
    {"DurationZero",
     [](Json& d) {
         d["segments"][1]["duration"] = 0;
         d["segments"][1]["end"] = 16;
     },
     "segments[1].duration: must be greater than 0, got 0"},
    {"DurationNegative",
     [](Json& d) {
         d["segments"][1]["duration"] = -4;
         d["segments"][1]["end"] = 12;
     },
     "segments[1].duration: must be greater than 0, got -4"},
    {"StartNegative",
     [](Json& d) {
         d["segments"][0]["start"] = -2;
         d["segments"][0]["end"] = 14;
     },
     "segments[0].start: must be 0 or greater, got -2"},
    {"DurationAndEndMissing",
     [](Json& d) {
         d["segments"][0].erase("duration");
         d["segments"][0].erase("end");
     },
     "segments[0].duration: missing (give duration or end)"},
    {"Overlap",
     [](Json& d) {
         d["segments"] = Json::parse(R"([
             {"id": "Intro", "sourceid": "clip_a", "start": 0, "duration": 8, "end": 8},
             {"id": "A", "sourceid": "clip_a", "start": 8, "duration": 8, "end": 16},
             {"id": "B", "sourceid": "clip_a", "start": 12, "duration": 8, "end": 20}])");
     },
     "segments[2] (\"B\") overlaps segments[1] (\"A\") on beats 12 to 16"},
    {"OverlapOfANestedSegment",
     [](Json& d) {
         d["segments"] = Json::parse(R"([
             {"id": "Long", "sourceid": "clip_a", "start": 0, "duration": 32, "end": 32},
             {"sourceid": "clip_a", "start": 4, "duration": 2, "end": 6}])");
     },
     "segments[1] overlaps segments[0] (\"Long\") on beats 4 to 6"},
    {"ContainerUnsupported", [](Json& d) { d["config"]["extension"] = "avi"; },
     "config.extension: \"avi\" is not a supported container (mp4, webm, mov, mkv)"},
    {"WidthOdd", [](Json& d) { d["config"]["width"] = 1281; },
     "config.width: must be a positive even number, got 1281"},
    {"HeightNotWhole", [](Json& d) { d["config"]["height"] = 720.5; },
     "config.height: must be a positive even number, got 720.5"},
    {"HeightZero", [](Json& d) { d["config"]["height"] = 0; },
     "config.height: must be a positive even number, got 0"},
    {"FramerateNegative", [](Json& d) { d["config"]["framerate"] = -25; },
     "config.framerate: must be 0 (meaning 30) or between 1 and 1000, got -25"},
    {"ConfigFitUnknown", [](Json& d) { d["config"]["fit"] = "zoom"; },
     "config.fit: \"zoom\" is not crop or letterbox"},
    {"MediatypeUnknown", [](Json& d) { d["sources"][1]["mediatype"] = "foo"; },
     "sources[1].mediatype: \"foo\" is not video, audio or image"},
    {"SourceIdDuplicate", [](Json& d) { d["sources"][1]["id"] = "clip_a"; },
     "sources[1].id: \"clip_a\" is also the id of sources[0]"},
    {"SourceWidthNotWhole", [](Json& d) { d["sources"][0]["width"] = 19.5; },
     "sources[0].width: expected a whole number, got 19.5"},
    {"SegmentsNotAnArray",
     [](Json& d) {
         d["segments"] = {{"a", 1}};
     },
     "segments: expected an array, got an object"},
    {"SegmentNotAnObject", [](Json& d) { d["segments"][1] = 3; },
     "segments[1]: expected an object, got a number"},
    {"StretchFactorZero", [](Json& d) { d["segments"][0]["stretch_factor"] = 0; },
     "segments[0].stretch_factor: must be greater than 0, got 0"},
    {"SegmentFitUnknown", [](Json& d) { d["segments"][0]["fit"] = "fill"; },
     "segments[0].fit: \"fill\" is not crop, letterbox or stretch"},
    {"OriginalStartNegative",
     [](Json& d) {
         d["segments"][0]["source_timing"] = {{"original_start", -1}, {"original_duration", 2}};
     },
     "segments[0].source_timing.original_start: must be 0 or greater, got -1"},
    {"OriginalDurationZero",
     [](Json& d) {
         d["segments"][0]["source_timing"] = {{"original_start", 1}, {"original_duration", 0}};
     },
     "segments[0].source_timing.original_duration: must be greater than 0, got 0"},
    {"OriginalDurationWithoutStart",
     [](Json& d) {
         d["segments"][0]["source_timing"] = {{"original_duration", 2}};
     },
     "segments[0].source_timing.original_duration: given without original_start"},
    {"StaticDurationNegative",
     [](Json& d) {
         d["segments"][0]["source_timing"] = {{"static_duration", -0.5}};
     },
     "segments[0].source_timing.static_duration: must be greater than 0, got -0.5"},
    {"SourceTimingNotAnObject", [](Json& d) { d["segments"][0]["source_timing"] = "2s"; },
     "segments[0].source_timing: expected an object, got a string"},
    {"ToBeatNotAfterFromBeat", [](Json& d) { d["beatpattern"]["frombeat"] = 64; },
     "beatpattern.tobeat: must be greater than frombeat, got 64 (frombeat is 64)"},
    {"ToBeatMissing", [](Json& d) { d["beatpattern"].erase("tobeat"); },
     "beatpattern.tobeat: missing (the beat the render stops at)"},
    {"MasterBpmNegative", [](Json& d) { d["beatpattern"]["masterbpm"] = -1; },
     "beatpattern.masterbpm: must be greater than 0 (or 0 to use bpm), got -1"},
    {"LongIdsAreShortenedInMessages",
     [](Json& d) { d["segments"][0]["sourceid"] = std::string(100, 'x') + "\nmore"; },
     "segments[0].sourceid: no source has id \"" + std::string(60, 'x') + "...\""},
};

INSTANTIATE_TEST_SUITE_P(Komposition, KompositionFieldErrors, ::testing::ValuesIn(kFieldErrors),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(KompositionErrors, TheUnchangedExamplesAreValid) {
    EXPECT_EQ(error_of(kElmDocument), "");
    EXPECT_EQ(error_of(kToolDocument), "");
}

TEST(KompositionErrors, AdjacentSegmentsWithFractionalBeatsDoNotOverlap) {
    // 0.1 + 0.2 ends a hair after 0.3 in doubles.
    EXPECT_EQ(error_of(R"({"_id": "k", "bpm": 120, "segments": [
        {"sourceid": "a", "start": 0.1, "duration": 0.2},
        {"sourceid": "a", "start": 0.3, "duration": 1}],
        "sources": [{"id": "a", "url": "a.mp4"}]})"),
              "");
}

// ---- canonical form --------------------------------------------------------------------

TEST(KompositionCanonical, ElmDocumentRoundTripsUnchanged) {
    // Every field is already canonical: unknown fields, their values and the order stay.
    const Komposition k = parse(kElmDocument);
    EXPECT_EQ(to_canonical_text(k), Json::parse(kElmDocument).dump(2));
}

TEST(KompositionCanonical, ToolDocumentIsWrittenAsTheEditorReadsIt) {
    const Json canonical = to_canonical(parse(kToolDocument));
    const Json expected = Json::parse(R"({
      "_id": "Demo_Video",
      "bpm": 120,
      "config": {"width": 1280, "height": 720, "framerate": 30, "extension": "mp4"},
      "beatpattern": {"frombeat": 0, "tobeat": 64, "masterbpm": 120},
      "segments": [
        {"id": "Intro", "sourceid": "clip_a", "start": 0, "duration": 16, "end": 16},
        {"id": "Verse", "sourceid": "clip_a", "start": 16, "duration": 32, "end": 48}
      ],
      "sources": [
        {"id": "clip_a", "url": "file://clip_a.mp4", "startingOffset": null, "checksums": "",
         "extension": "", "mediatype": "", "width": 1920, "height": 1080},
        {"id": "song", "url": "file://song.flac", "startingOffset": 1.25, "checksums": "",
         "extension": "", "mediatype": "AUDIO"}
      ]
    })");
    EXPECT_EQ(canonical.dump(2), expected.dump(2));
}

TEST(KompositionCanonical, WholeBeatsAreWrittenAsIntegers) {
    const std::string text = to_canonical_text(parse(R"({"_id": "k", "bpm": 128.0,
        "config": {"width": 1920.0, "height": 1080.0, "framerate": 25.0},
        "beatpattern": {"frombeat": 4.0, "tobeat": 20.0},
        "segments": [{"sourceid": "a", "start": 4.0, "duration": 2.5}],
        "sources": [{"id": "a", "url": "a.mp4"}]})"),
                                               -1);
    EXPECT_EQ(
        text,
        R"({"_id":"k","bpm":128,"config":{"width":1920,"height":1080,"framerate":25},)"
        R"("beatpattern":{"frombeat":4,"tobeat":20},)"
        R"("segments":[{"id":"","sourceid":"a","start":4,"duration":2.5,"end":6.5}],)"
        R"("sources":[{"id":"a","url":"a.mp4","checksums":"","extension":"","mediatype":""}]})");
}

TEST(KompositionCanonical, UnknownFieldsStayWhereTheyWere) {
    const char* const text = R"({"zeta": 1, "id": "k", "alpha": {"deep": [1, {"x": null}]},
      "bpm": 100, "config": {"codec": "x264", "extensionType": "webm", "crf": 18},
      "segments": [{"extra": true, "sourceid": "a", "start": 0, "end": 4, "after": "x"}],
      "sources": [{"tag": 1, "id": "a", "url": "a.mp4", "extension": "mp4", "more": [1]}],
      "omega": "last"})";
    EXPECT_EQ(
        to_canonical(parse(text)).dump(),
        R"({"zeta":1,"_id":"k","alpha":{"deep":[1,{"x":null}]},"bpm":100,)"
        R"("config":{"codec":"x264","extension":"webm","crf":18},)"
        R"("segments":[{"id":"","extra":true,"sourceid":"a","start":0,"duration":4,"end":4,"after":"x"}],)"
        R"("sources":[{"tag":1,"id":"a","url":"a.mp4","checksums":"","extension":"mp4",)"
        R"("mediatype":"","more":[1]}],"omega":"last"})");
}

TEST(KompositionCanonical, NonIntegerFramerateStaysAsWritten) {
    const Json canonical =
        to_canonical(parse(R"({"_id": "k", "bpm": 120, "config": {"framerate": 23.976}})"));
    EXPECT_EQ(canonical["config"]["framerate"].dump(), "23.976");
    const Json zero =
        to_canonical(parse(R"({"_id": "k", "bpm": 120, "config": {"framerate": 0}})"));
    EXPECT_EQ(zero["config"]["framerate"].dump(), "30");
}

TEST(KompositionCanonical, IsIdempotent) {
    for (const char* text : {kElmDocument, kToolDocument}) {
        const std::string once = to_canonical_text(parse(text));
        const std::string twice = to_canonical_text(parse(once));
        EXPECT_EQ(twice, once);
    }
}

TEST(KompositionCanonical, TypedChangesAreWritten) {
    Komposition k = parse(kToolDocument);
    k.segments[1].start = Beats(20);
    k.segments[1].duration = Beats(28);
    k.segments[1].stretch = true;
    k.config.framerate = FrameRate{30000, 1001};
    k.sources.pop_back();
    k.segments.push_back(
        Segment{"Outro", "clip_a", Beats(48), Beats(16), Beats(64), {}, false, Fit::crop});
    const Json c = to_canonical(k);
    EXPECT_EQ(c["segments"][1]["start"], 20);
    EXPECT_EQ(c["segments"][1]["duration"], 28);
    EXPECT_EQ(c["segments"][1]["fit"], "stretch");
    EXPECT_EQ(c["config"]["framerate"].dump(), "29.97");
    EXPECT_EQ(c["sources"].size(), 1u);
    EXPECT_EQ(
        c["segments"][2].dump(),
        R"({"id":"Outro","sourceid":"clip_a","start":48,"duration":16,"end":64,"fit":"crop"})");
    const Komposition back = parse(c.dump());
    EXPECT_EQ(back.config.framerate, (FrameRate{30000, 1001}));
    EXPECT_TRUE(back.segments[1].stretch);
    EXPECT_EQ(back.segments[2].fit, Fit::crop);
}

TEST(KompositionCanonical, KompositionBuiltInCodeGetsTheRequiredFields) {
    Komposition k;
    k.id = "new";
    k.sources.push_back(Source{"s", "song.mp3", Seconds(0.5), MediaKind::video, "", {}, {}});
    const Json c = to_canonical(k);
    EXPECT_EQ(
        c.dump(),
        R"({"_id":"new","bpm":120,"sources":[{"id":"s","url":"song.mp3","startingOffset":0.5,)"
        R"("checksums":"","extension":"","mediatype":"video"}]})");
    EXPECT_EQ(parse(c.dump()).sources[0].mediatype, MediaKind::video);
}

}  // namespace
}  // namespace kompo::komp
