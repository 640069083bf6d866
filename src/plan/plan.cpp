#include "plan/plan.hpp"

#include <algorithm>
#include <cstdio>

#include "core/error.hpp"
#include "plan/describe.hpp"
#include "plan/stream_copy.hpp"

namespace kompo::plan {

namespace {

using komp::Komposition;
using komp::Segment;
using komp::Source;
using komp::Timeline;

// Half a frame of slack before calling a window "past the end": container durations are
// rounded, and the last frame is still shown for its whole duration.
constexpr double kEndTolerance = 0.02;

struct SegmentRef {
    std::size_t index;
    const Segment* segment;
};

std::string where_of(const SegmentRef& ref) {
    return segment_label(ref.index, ref.segment->id);
}

std::vector<SegmentRef> segments_by_start(const Komposition& k) {
    std::vector<SegmentRef> refs;
    for (std::size_t i = 0; i < k.segments.size(); ++i) refs.push_back({i, &k.segments[i]});
    std::stable_sort(refs.begin(), refs.end(), [](const SegmentRef& a, const SegmentRef& b) {
        return a.segment->start < b.segment->start;
    });
    return refs;
}

Fit fit_of(const Komposition& k, const Segment& s) {
    auto fit = s.fit.value_or(k.config.fit);
    return fit == komp::Fit::crop ? Fit::crop : Fit::letterbox;
}

const MediaInfo& media_of(const MediaBySource& media, const Source& source) {
    auto it = media.find(source.id);
    if (it == media.end())
        throw Error::internal("source \"" + source.id + "\" was not probed before planning");
    return it->second;
}

SegmentPiece black_piece(const OutputFormat& format, FrameIndex first, FrameCount count) {
    SegmentPiece piece;
    piece.segment_id = "gap";
    piece.where = "gap at frame " + std::to_string(first.value());
    piece.kind = PictureKind::black;
    piece.first_frame = first;
    piece.frame_count = count;
    piece.format = format;
    return piece;
}

// Where in the source the piece's first frame is, how fast the source runs, and where it
// must stop (the contract's "Which part of the source a segment shows").
void place_window(const Komposition& k, const Timeline& tl, const Segment& seg,
                  const MediaInfo& info, FrameIndex first, SegmentPiece& piece) {
    const FrameRate fps = tl.frame_rate();
    const Seconds media_end = info.duration;
    const auto& timing = seg.source_timing;
    if (timing && timing->original_start) {
        // A window of the source: frames count from the segment's own first frame.
        const FrameIndex seg_first = tl.frame_of(seg.start);
        const FrameCount seg_frames = tl.frame_of(seg.end) - seg_first;
        const Seconds window_start = *timing->original_start;
        const Seconds window_length = timing->original_duration.value_or(media_end - window_start);
        const Seconds segment_length = fps.duration_of(seg_frames);
        piece.speed = seg.stretch && segment_length.value() > 0
                          ? window_length.value() / segment_length.value()
                          : 1.0;
        piece.source_start = window_start + fps.duration_of(first - seg_first) * piece.speed;
        piece.source_end = std::min(window_start + window_length, media_end);
        return;
    }
    // In sync with the timeline: output time t shows startingOffset + from*60/bpm + t.
    const Source* source = k.find_source(seg.source_id);
    const Seconds from_time(tl.from().value() * 60.0 / tl.bpm());
    piece.speed = 1.0;
    piece.source_start = source->starting_offset + from_time + fps.time_of(first);
    piece.source_end = media_end;
}

void check_window(const SegmentRef& ref, const MediaInfo& info, const FrameRate& fps,
                  SegmentPiece& piece, std::vector<std::string>& warnings) {
    if (piece.source_start.value() >= info.duration.value() - 1e-6) {
        throw Error::media(describe_window_past_end(where_of(ref), piece.source_start, info));
    }
    if (piece.source_start.value() < -kEndTolerance) {
        warnings.push_back(describe_hold_first(where_of(ref), piece.source_start.value(), info));
    }
    const double needed_end =
        piece.source_start.value() + fps.duration_of(piece.frame_count).value() * piece.speed;
    if (needed_end > info.duration.value() + kEndTolerance) {
        warnings.push_back(describe_hold(where_of(ref), needed_end, info));
    }
}

SegmentPiece segment_piece(const Komposition& k, const Timeline& tl, const MediaBySource& media,
                           const SegmentRef& ref, FrameIndex first, FrameIndex end,
                           const OutputFormat& format, std::vector<std::string>& warnings) {
    const Segment& seg = *ref.segment;
    const Source* source = k.find_source(seg.source_id);
    if (!source)
        throw Error::invalid(where_of(ref) + ".sourceid: no source has id \"" + seg.source_id +
                             "\"");
    const MediaInfo& info = media_of(media, *source);

    SegmentPiece piece;
    piece.segment_id = seg.id;
    piece.where = where_of(ref);
    piece.source_path = info.path;
    piece.first_frame = first;
    piece.frame_count = end - first;
    piece.fit = fit_of(k, seg);
    piece.format = format;
    if (source->mediatype == MediaKind::image || info.kind == MediaKind::image) {
        piece.kind = PictureKind::image;
        return piece;
    }
    if (!info.video) {
        throw Error::media(where_of(ref) + ": source \"" + source->id + "\" (" + info.path +
                           ") has no picture to show");
    }
    piece.kind = PictureKind::video;
    piece.rotation = info.video->rotation;
    place_window(k, tl, seg, info, first, piece);
    check_window(ref, info, tl.frame_rate(), piece, warnings);
    return piece;
}

std::string beats_text(Beats b) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", b.value());
    return buf;
}

void add_gap(std::vector<SegmentPiece>& pieces, std::vector<std::string>& warnings,
             const Timeline& tl, const OutputFormat& format, Beats from, Beats to) {
    const FrameIndex first = tl.frame_of(from);
    const FrameCount count = tl.frame_of(to) - first;
    if (count <= FrameCount(0)) return;
    pieces.push_back(black_piece(format, first, count));
    warnings.push_back("beats " + beats_text(from) + " to " + beats_text(to) +
                       " have no segment: rendered black");
}

SoundPiece sound_piece(const Komposition& k, const Timeline& tl, const MediaBySource& media,
                       const OutputFormat& format, FrameCount total_frames) {
    SoundPiece piece;
    piece.format = format;
    piece.total_frames = total_frames;
    const Source* source = soundtrack_of(k);
    if (!source) return piece;
    const std::size_t index = static_cast<std::size_t>(source - k.sources.data());
    piece.where = source_label(index, source->id);
    piece.source_path = media_of(media, *source).path;
    piece.source_start = source->starting_offset + Seconds(tl.from().value() * 60.0 / tl.bpm());
    return piece;
}

}  // namespace

const Source* soundtrack_of(const Komposition& k) {
    for (const auto& source : k.sources) {
        if (source.mediatype != MediaKind::audio) continue;
        bool used_as_picture =
            std::any_of(k.segments.begin(), k.segments.end(),
                        [&](const Segment& s) { return s.source_id == source.id; });
        if (!used_as_picture) return &source;
    }
    return nullptr;
}

OutputFormat output_format(const Komposition& k) {
    OutputFormat format;
    format.width = k.config.width;
    format.height = k.config.height;
    format.frame_rate = k.config.framerate;
    format.container = k.config.extension;
    if (format.container == "webm") {
        format.video_codec = VideoCodec::vp9;
        format.audio_codec = AudioCodec::opus;
        format.crf = 32;
    }
    return format;
}

Plan make_plan(const Komposition& k, const MediaBySource& media, const PlanOptions& options) {
    const Timeline tl(k, options.range);
    if (k.segments.empty()) {
        throw Error::invalid("segments: there are none, so there is nothing to render yet");
    }
    if (!(tl.to() > tl.from())) {
        throw Error::invalid("render range: beats " + beats_text(tl.from()) + " to " +
                             beats_text(tl.to()) + " is empty (its end must come after its start)");
    }
    Plan plan;
    plan.format = output_format(k);
    plan.total_frames = tl.total_frames();

    Beats covered = tl.from();
    for (const auto& ref : segments_by_start(k)) {
        const Beats start = std::max(ref.segment->start, tl.from());
        const Beats end = std::min(ref.segment->end, tl.to());
        const FrameIndex first = tl.frame_of(start);
        const FrameIndex last = tl.frame_of(end);
        if (!(end > start) || last <= first) continue;  // outside the range, or under a frame
        add_gap(plan.segments, plan.warnings, tl, plan.format, covered, start);
        plan.segments.push_back(
            segment_piece(k, tl, media, ref, first, last, plan.format, plan.warnings));
        covered = std::max(covered, end);
    }
    add_gap(plan.segments, plan.warnings, tl, plan.format, covered, tl.to());

    plan.join = JoinPiece{plan.total_frames, plan.format};
    plan.sound = sound_piece(k, tl, media, plan.format, plan.total_frames);
    plan.mux = MuxPiece{plan.total_frames, plan.format};
    mark_stream_copies(plan, media);
    return plan;
}

}  // namespace kompo::plan
