#include "media/output_file.hpp"

#include "core/error.hpp"

namespace kompo::media {

OutputFormatPtr create_output(const char* muxer, const std::string& path) {
    AVFormatContext* raw = nullptr;
    const int rc = avformat_alloc_output_context2(&raw, nullptr, muxer, path.c_str());
    if (rc < 0 || !raw) {
        throw Error::internal(path + ": cannot set up the " + muxer + " muxer (" +
                              av_error_text(rc) + ")");
    }
    return OutputFormatPtr(raw);
}

void start_output_file(AVFormatContext& output, const std::string& path, AVDictionary** options) {
    if (int rc = avio_open(&output.pb, path.c_str(), AVIO_FLAG_WRITE); rc < 0) {
        throw Error::io(path + ": cannot create (" + av_error_text(rc) + ")");
    }
    if (int rc = avformat_write_header(&output, options); rc < 0) {
        throw Error::io(path + ": cannot write the header (" + av_error_text(rc) + ")");
    }
}

}  // namespace kompo::media
