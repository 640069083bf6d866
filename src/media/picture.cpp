#include "media/picture.hpp"

#include <string>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/imgutils.h>
}

#include "core/error.hpp"
#include "media/picture_geometry.hpp"

namespace kompo::media {

namespace {

std::string size_args(int width, int height) {
    return std::to_string(width) + ":" + std::to_string(height);
}

std::string rotation_filters(int rotation) {
    switch (rotation) {
        case 90:
            return "transpose=clock,";
        case 180:
            return "hflip,vflip,";
        case 270:
            return "transpose=cclock,";
        default:
            return "";
    }
}

// crop → scale (bicubic, and to yuv420p) → rotate → pad → square pixels.
std::string filter_description(const SourcePicture& source, const PictureGeometry& g, int out_width,
                               int out_height) {
    std::string chain;
    if (g.crops(source)) {
        // Crop only moves data pointers: the scaler then reads just the part it needs.
        chain += "crop=" + size_args(g.crop_width, g.crop_height) + ":" + std::to_string(g.crop_x) +
                 ":" + std::to_string(g.crop_y) + ":exact=1,";
    }
    chain += "scale=" + size_args(g.scaled_width, g.scaled_height) + ":flags=bicubic,";
    chain += "format=yuv420p,";
    chain += rotation_filters(source.rotation);
    if (g.pads(out_width, out_height)) {
        chain += "pad=" + size_args(out_width, out_height) + ":" + std::to_string(g.pad_x) + ":" +
                 std::to_string(g.pad_y) + ":black,";
    }
    chain += "setsar=1";
    return chain;
}

AVFilterContext* create_filter(AVFilterGraph& graph, const char* filter, const char* name,
                               const std::string& args) {
    AVFilterContext* context = nullptr;
    const int rc =
        avfilter_graph_create_filter(&context, avfilter_get_by_name(filter), name,
                                     args.empty() ? nullptr : args.c_str(), nullptr, &graph);
    if (rc < 0) {
        throw Error::internal(std::string("picture filter: cannot create ") + filter + " (" +
                              av_error_text(rc) + ")");
    }
    return context;
}

FilterInOutPtr open_end(const char* name, AVFilterContext* context) {
    FilterInOutPtr end(avfilter_inout_alloc());
    if (!end) throw std::bad_alloc();
    end->name = av_strdup(name);
    end->filter_ctx = context;
    end->pad_idx = 0;
    end->next = nullptr;
    return end;
}

bool same_ratio(AVRational a, AVRational b) {
    return av_cmp_q(a, b) == 0;
}

}  // namespace

PictureFilter::PictureFilter(int out_width, int out_height, plan::Fit fit, int rotation,
                             int threads)
    : out_width_(out_width),
      out_height_(out_height),
      fit_(fit),
      rotation_(rotation),
      threads_(threads) {
    if (out_width <= 0 || out_height <= 0 || out_width % 2 != 0 || out_height % 2 != 0) {
        throw Error::invalid("output size " + std::to_string(out_width) + "x" +
                             std::to_string(out_height) +
                             ": width and height must be even and positive (4:2:0 video)");
    }
}

// Footage already shot at the output's size and format needs no filtering at all.
bool PictureFilter::is_output_picture(const AVFrame& frame) const {
    const bool square = frame.sample_aspect_ratio.num == 0 ||
                        frame.sample_aspect_ratio.num == frame.sample_aspect_ratio.den;
    return rotation_ == 0 && square && frame.format == AV_PIX_FMT_YUV420P &&
           frame.width == out_width_ && frame.height == out_height_;
}

bool PictureFilter::graph_fits(const AVFrame& frame) const {
    return graph_ && frame.width == graph_width_ && frame.height == graph_height_ &&
           frame.format == graph_format_ && same_ratio(frame.sample_aspect_ratio, graph_sar_);
}

void PictureFilter::build_graph(const AVFrame& like) {
    graph_.reset(avfilter_graph_alloc());
    if (!graph_) throw std::bad_alloc();
    graph_->nb_threads = threads_ > 0 ? threads_ : 0;
    graph_->scale_sws_opts = av_strdup("flags=bicubic");

    const AVRational sar =
        like.sample_aspect_ratio.num > 0 ? like.sample_aspect_ratio : AVRational{1, 1};
    const std::string source_args =
        "video_size=" + std::to_string(like.width) + "x" + std::to_string(like.height) +
        ":pix_fmt=" + std::to_string(like.format) +
        ":time_base=1/1:pixel_aspect=" + std::to_string(sar.num) + "/" + std::to_string(sar.den);
    source_ = create_filter(*graph_, "buffer", "in", source_args);
    sink_ = create_filter(*graph_, "buffersink", "out", "");

    const SourcePicture source{like.width, like.height, sar.num, sar.den, rotation_};
    const PictureGeometry geometry = picture_geometry(source, out_width_, out_height_, fit_);
    const std::string description = filter_description(source, geometry, out_width_, out_height_);

    // The parser's "inputs" are the open outputs of our source, and the other way round.
    FilterInOutPtr source_end = open_end("in", source_);
    FilterInOutPtr sink_end = open_end("out", sink_);
    AVFilterInOut* outputs = source_end.release();
    AVFilterInOut* inputs = sink_end.release();
    int rc =
        avfilter_graph_parse_ptr(graph_.get(), description.c_str(), &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (rc >= 0) rc = avfilter_graph_config(graph_.get(), nullptr);
    if (rc < 0) {
        throw Error::internal("picture filter \"" + description + "\": " + av_error_text(rc));
    }
    graph_width_ = like.width;
    graph_height_ = like.height;
    graph_format_ = like.format;
    graph_sar_ = like.sample_aspect_ratio;
}

FramePtr PictureFilter::apply(FramePtr source) {
    if (is_output_picture(*source)) return source;
    if (!graph_fits(*source)) build_graph(*source);
    int rc = av_buffersrc_add_frame_flags(source_, source.get(), 0);
    if (rc < 0)
        throw Error::internal("picture filter: cannot take a frame (" + av_error_text(rc) + ")");
    FramePtr picture = make_frame();
    rc = av_buffersink_get_frame(sink_, picture.get());
    if (rc < 0) throw Error::internal("picture filter: no picture out (" + av_error_text(rc) + ")");
    return picture;
}

FramePtr make_black_frame(int width, int height) {
    FramePtr frame = make_frame();
    frame->format = AV_PIX_FMT_YUV420P;
    frame->width = width;
    frame->height = height;
    frame->sample_aspect_ratio = AVRational{1, 1};
    if (int rc = av_frame_get_buffer(frame.get(), 0); rc < 0) {
        throw Error::internal("black picture: " + av_error_text(rc));
    }
    ptrdiff_t linesizes[4];
    for (int i = 0; i < 4; ++i) linesizes[i] = frame->linesize[i];
    av_image_fill_black(frame->data, linesizes, AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, width,
                        height);
    return frame;
}

}  // namespace kompo::media
