#include "media/picture_geometry.hpp"

#include <algorithm>
#include <cmath>

namespace kompo::media {

namespace {

int nearest_even(double x, int low, int high) {
    const int even = 2 * static_cast<int>(std::lround(x / 2));
    return std::clamp(even, low, high);
}

int centred_offset(int outer, int inner) {
    return std::max(0, (outer - inner) / 2 / 2 * 2);
}

// Width over height as the picture is seen upright, with its pixels made square.
double upright_aspect(const SourcePicture& source) {
    const bool square = source.sar_num <= 0 || source.sar_den <= 0;
    const double sar = square ? 1.0 : static_cast<double>(source.sar_num) / source.sar_den;
    const double coded_aspect = source.width * sar / source.height;
    return source.rotation % 180 == 0 ? coded_aspect : 1.0 / coded_aspect;
}

void letterbox(const SourcePicture& source, double aspect, int out_width, int out_height,
               PictureGeometry& g) {
    const double out_aspect = static_cast<double>(out_width) / out_height;
    int upright_width = out_width;
    int upright_height = out_height;
    if (aspect > out_aspect) {
        upright_height = nearest_even(out_width / aspect, 2, out_height);
    } else {
        upright_width = nearest_even(out_height * aspect, 2, out_width);
    }
    g.crop_width = source.width;
    g.crop_height = source.height;
    g.scaled_width = g.quarter_turn ? upright_height : upright_width;
    g.scaled_height = g.quarter_turn ? upright_width : upright_height;
    g.pad_x = centred_offset(out_width, upright_width);
    g.pad_y = centred_offset(out_height, upright_height);
}

void centre_crop(const SourcePicture& source, double aspect, int out_width, int out_height,
                 PictureGeometry& g) {
    const double out_aspect = static_cast<double>(out_width) / out_height;
    // The upright picture is too wide (keep the middle of its width) or too tall; seen in
    // coded pixels, a quarter turn swaps which side that is.
    const bool too_wide = aspect > out_aspect;
    const double keep = too_wide ? out_aspect / aspect : aspect / out_aspect;
    const bool trim_coded_width = too_wide != g.quarter_turn;
    g.crop_width =
        trim_coded_width ? nearest_even(source.width * keep, 2, source.width) : source.width;
    g.crop_height =
        trim_coded_width ? source.height : nearest_even(source.height * keep, 2, source.height);
    g.crop_x = centred_offset(source.width, g.crop_width);
    g.crop_y = centred_offset(source.height, g.crop_height);
    g.scaled_width = g.quarter_turn ? out_height : out_width;
    g.scaled_height = g.quarter_turn ? out_width : out_height;
}

}  // namespace

PictureGeometry picture_geometry(const SourcePicture& source, int out_width, int out_height,
                                 plan::Fit fit) {
    PictureGeometry g;
    g.quarter_turn = source.rotation % 180 != 0;
    const double aspect = upright_aspect(source);
    if (fit == plan::Fit::crop) {
        centre_crop(source, aspect, out_width, out_height, g);
    } else {
        letterbox(source, aspect, out_width, out_height, g);
    }
    return g;
}

}  // namespace kompo::media
