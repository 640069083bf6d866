#pragma once
// Where a source picture lands in the output frame, in whole pixels. Computed here, with
// no FFmpeg types, so the filter graph only carries it out and tests check it directly.
#include "plan/piece.hpp"

namespace kompo::media {

struct SourcePicture {
    int width = 0;  // coded size, before rotation
    int height = 0;
    int sar_num = 1;  // sample (pixel) aspect ratio; 0 or less means square
    int sar_den = 1;
    int rotation = 0;  // clockwise degrees to turn upright: 0, 90, 180, 270
};

// Steps in the order the filter graph applies them: crop the coded picture, scale it
// (to square pixels), rotate it upright, pad it to the output size. The work on pixels is
// done before rotating so that rotation moves output-sized pictures, not camera-sized.
struct PictureGeometry {
    int crop_x = 0, crop_y = 0, crop_width = 0, crop_height = 0;  // in coded pixels
    int scaled_width = 0, scaled_height = 0;                      // still before rotation
    int pad_x = 0, pad_y = 0;   // where the upright picture sits in the output frame
    bool quarter_turn = false;  // rotated by 90 or 270: width and height swap

    bool crops(const SourcePicture& source) const {
        return crop_width != source.width || crop_height != source.height;
    }
    bool pads(int out_width, int out_height) const {
        return pad_x != 0 || pad_y != 0 || upright_width() != out_width ||
               upright_height() != out_height;
    }
    int upright_width() const { return quarter_turn ? scaled_height : scaled_width; }
    int upright_height() const { return quarter_turn ? scaled_width : scaled_height; }
};

// letterbox: the whole picture, as large as fits, centred on black.
// crop: the centre of the picture that has the output's shape, filling the frame.
// Sizes and offsets are even, as 4:2:0 chroma needs.
PictureGeometry picture_geometry(const SourcePicture& source, int out_width, int out_height,
                                 plan::Fit fit);

}  // namespace kompo::media
