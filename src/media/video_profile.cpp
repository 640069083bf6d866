#include "media/video_profile.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/dict.h>
}

#include "core/error.hpp"
#include "media/decode.hpp"
#include "media/probe.hpp"

namespace kompo::media {

namespace {

// Cuts and levels are judged on a small grey picture: a shot change changes the whole
// picture, and decoding, not this, is then the cost.
constexpr int kProfileWidth = 160;
constexpr int kProfileHeight = 90;
constexpr int kMicroseconds = 1000000;

// buffer -> small grey picture -> scdet -> buffersink, rebuilt when the frames change shape.
class ShotFilter {
  public:
    explicit ShotFilter(double threshold) : threshold_(threshold) {}

    // The small grey picture of `frame` (pts in microseconds), with scdet's metadata.
    FramePtr apply(const AVFrame& frame) {
        if (!graph_ || frame.width != width_ || frame.height != height_ ||
            frame.format != format_) {
            build(frame);
        }
        FramePtr copy = make_frame();
        if (int rc = av_frame_ref(copy.get(), &frame); rc < 0) throw std::bad_alloc();
        if (int rc = av_buffersrc_add_frame_flags(source_, copy.get(), 0); rc < 0) {
            throw Error::internal("shot filter: cannot take a frame (" + av_error_text(rc) + ")");
        }
        FramePtr out = make_frame();
        if (int rc = av_buffersink_get_frame(sink_, out.get()); rc < 0) {
            throw Error::internal("shot filter: no picture out (" + av_error_text(rc) + ")");
        }
        return out;
    }

  private:
    void build(const AVFrame& like) {
        graph_.reset(avfilter_graph_alloc());
        if (!graph_) throw std::bad_alloc();
        graph_->nb_threads = 1;
        const std::string description =
            "buffer@in=video_size=" + std::to_string(like.width) + "x" +
            std::to_string(like.height) + ":pix_fmt=" + std::to_string(like.format) +
            ":time_base=1/" + std::to_string(kMicroseconds) + ":pixel_aspect=1/1," +
            "scale=" + std::to_string(kProfileWidth) + ":" + std::to_string(kProfileHeight) +
            ":flags=area,format=gray,scdet=threshold=" + std::to_string(threshold_) +
            ",buffersink@out";
        AVFilterInOut* inputs = nullptr;
        AVFilterInOut* outputs = nullptr;
        int rc = avfilter_graph_parse2(graph_.get(), description.c_str(), &inputs, &outputs);
        avfilter_inout_free(&inputs);
        avfilter_inout_free(&outputs);
        if (rc >= 0) rc = avfilter_graph_config(graph_.get(), nullptr);
        if (rc < 0)
            throw Error::internal("shot filter \"" + description + "\": " + av_error_text(rc));
        source_ = avfilter_graph_get_filter(graph_.get(), "buffer@in");
        sink_ = avfilter_graph_get_filter(graph_.get(), "buffersink@out");
        width_ = like.width;
        height_ = like.height;
        format_ = like.format;
    }

    double threshold_;
    FilterGraphPtr graph_;
    AVFilterContext* source_ = nullptr;  // owned by graph_
    AVFilterContext* sink_ = nullptr;    // owned by graph_
    int width_ = 0;
    int height_ = 0;
    int format_ = -1;
};

// Sums of the per-frame levels of each second, turned into means at the end.
class SecondsAccumulator {
  public:
    void add(Seconds at, double brightness, std::optional<double> motion) {
        const auto second = static_cast<std::size_t>(std::max(0.0, std::floor(at.value())));
        if (sums_.size() <= second) sums_.resize(second + 1);
        Sums& sums = sums_[second];
        sums.brightness += brightness;
        sums.frames += 1;
        if (motion) {
            sums.motion += *motion;
            sums.motion_frames += 1;
        }
    }

    std::vector<SecondProfile> means() const {
        std::vector<SecondProfile> result;
        for (const Sums& sums : sums_) {
            SecondProfile second;
            if (sums.frames > 0) second.brightness = sums.brightness / sums.frames;
            if (sums.motion_frames > 0) second.motion = sums.motion / sums.motion_frames;
            result.push_back(second);
        }
        return result;
    }

  private:
    struct Sums {
        double brightness = 0;
        double motion = 0;
        int frames = 0;
        int motion_frames = 0;
    };
    std::vector<Sums> sums_;
};

double mean_luma(const AVFrame& grey) {
    double sum = 0;
    for (int y = 0; y < grey.height; ++y) {
        const std::uint8_t* row = grey.data[0] + static_cast<std::ptrdiff_t>(y) * grey.linesize[0];
        for (int x = 0; x < grey.width; ++x) sum += row[x];
    }
    return sum / (255.0 * grey.width * grey.height);
}

double mean_change(const AVFrame& grey, const AVFrame& before) {
    double sum = 0;
    for (int y = 0; y < grey.height; ++y) {
        const std::uint8_t* row = grey.data[0] + static_cast<std::ptrdiff_t>(y) * grey.linesize[0];
        const std::uint8_t* old =
            before.data[0] + static_cast<std::ptrdiff_t>(y) * before.linesize[0];
        for (int x = 0; x < grey.width; ++x) sum += std::abs(int(row[x]) - int(old[x]));
    }
    return sum / (255.0 * grey.width * grey.height);
}

std::optional<double> scdet_value(const AVFrame& frame, const char* key) {
    const AVDictionaryEntry* entry = av_dict_get(frame.metadata, key, nullptr, 0);
    if (!entry) return std::nullopt;
    return std::strtod(entry->value, nullptr);
}

}  // namespace

VideoProfile video_profile(const std::filesystem::path& file, double threshold,
                           const std::atomic<bool>* cancelled) {
    const std::string path = file.string();
    const MediaInfo info = probe(path);
    if (!info.video || info.kind != MediaKind::video) {
        throw Error::media(path + ": has no moving picture to profile");
    }
    VideoProfile profile;
    profile.frame_rate = info.video->frame_rate;
    profile.duration = info.duration;

    VideoDecoder decoder(path, 0);
    ShotFilter filter(threshold);
    SecondsAccumulator seconds;
    FramePtr previous;
    while (FramePtr frame = decoder.next()) {
        if (cancelled && cancelled->load(std::memory_order_relaxed)) {
            throw Error::cancelled(path + ": profiling cancelled");
        }
        const Seconds at = decoder.time_of(*frame);
        frame->pts = std::llround(at.value() * kMicroseconds);
        FramePtr grey = filter.apply(*frame);
        const double score = scdet_value(*grey, "lavfi.scd.score").value_or(0);
        if (profile.frames > 0 && scdet_value(*grey, "lavfi.scd.time")) {
            profile.shot_changes.push_back({profile.frames, at, score});
        }
        std::optional<double> motion;
        if (previous) motion = mean_change(*grey, *previous);
        seconds.add(at, mean_luma(*grey), motion);
        previous = std::move(grey);
        ++profile.frames;
    }
    if (profile.frames == 0) throw Error::media(path + ": no picture could be decoded");
    profile.seconds = seconds.means();
    return profile;
}

}  // namespace kompo::media
