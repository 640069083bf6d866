#pragma once
// Turns decoded source pictures into output pictures: upright, fitted to the output size
// (letterbox or crop), yuv420p with square pixels. A libavfilter graph does the work.
#include "media/handles.hpp"
#include "plan/piece.hpp"

namespace kompo::media {

class PictureFilter {
  public:
    PictureFilter(int out_width, int out_height, plan::Fit fit, int rotation, int threads);

    // The output picture for `source` (consumed: its buffers move into the graph, or are
    // passed on untouched when the source already is an output picture).
    FramePtr apply(FramePtr source);

  private:
    bool is_output_picture(const AVFrame& frame) const;
    bool graph_fits(const AVFrame& frame) const;
    void build_graph(const AVFrame& like);

    int out_width_;
    int out_height_;
    plan::Fit fit_;
    int rotation_;
    int threads_;
    FilterGraphPtr graph_;
    AVFilterContext* source_ = nullptr;  // owned by graph_
    AVFilterContext* sink_ = nullptr;    // owned by graph_
    // What the graph was built for; a source may change size or format midway.
    int graph_width_ = 0;
    int graph_height_ = 0;
    int graph_format_ = -1;
    AVRational graph_sar_{0, 1};
};

// An output-sized black picture (yuv420p, limited range, square pixels).
FramePtr make_black_frame(int width, int height);

}  // namespace kompo::media
