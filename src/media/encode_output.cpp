#include "media/encode_output.hpp"

#include "core/error.hpp"
#include "media/execute.hpp"
#include "media/output_file.hpp"

namespace kompo::media {

// MP4 for both codecs: its track timescale is a multiple of the frame rate (so timestamps
// stay exact, 1001/24000 included), it records B-frame delay in an edit list so the first
// frame is at 0, and it holds VP9 as well as H.264. NUT would shift timestamps by the
// B-frame delay, Matroska rounds them to milliseconds.
std::string intermediate_video_extension(const plan::OutputFormat&) {
    return ".mp4";
}

IntermediateOutput::IntermediateOutput(const std::string& path, const plan::OutputFormat& format,
                                       const AVCodecParameters& parameters)
    : path_(path),
      output_(create_output("mp4", path)),
      stream_(avformat_new_stream(output_.get(), nullptr)),
      frame_time_base_{format.frame_rate.den, format.frame_rate.num} {
    if (!stream_) throw std::bad_alloc();
    if (int rc = avcodec_parameters_copy(stream_->codecpar, &parameters); rc < 0) {
        throw Error::internal(path + ": cannot describe the video stream (" + av_error_text(rc) +
                              ")");
    }
    stream_->codecpar->codec_tag = 0;  // let the muxer pick mp4's tag for the codec
    stream_->time_base = frame_time_base_;
    stream_->avg_frame_rate = av_inv_q(frame_time_base_);
    stream_->r_frame_rate = stream_->avg_frame_rate;

    start_output_file(*output_, path);
}

void IntermediateOutput::write(AVPacket& packet) {
    packet.stream_index = stream_->index;
    av_packet_rescale_ts(&packet, frame_time_base_, stream_->time_base);
    // One stream: no interleaving to wait for, so packets go straight to the file.
    if (int rc = av_write_frame(output_.get(), &packet); rc < 0) {
        throw Error::io(path_ + ": cannot write (" + av_error_text(rc) + ")");
    }
    av_packet_unref(&packet);
}

void IntermediateOutput::finish() {
    if (int rc = av_write_trailer(output_.get()); rc < 0) {
        throw Error::io(path_ + ": cannot finish (" + av_error_text(rc) + ")");
    }
    if (int rc = avio_closep(&output_->pb); rc < 0) {
        throw Error::io(path_ + ": cannot close (" + av_error_text(rc) + ")");
    }
}

}  // namespace kompo::media
