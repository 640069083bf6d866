#pragma once
// A Beast body that sends `length` bytes of a file from `offset`: whole downloads and
// HTTP Range answers alike, read in 64 KiB pieces (never the whole file in memory).
#include <array>
#include <cstdint>

#include <boost/beast/core/file.hpp>
#include <boost/beast/http.hpp>
#include <boost/optional.hpp>

namespace kompo::server {

struct FileSliceBody {
    struct value_type {
        boost::beast::file file;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
    };

    static std::uint64_t size(const value_type& body) { return body.length; }

    class writer {
      public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(boost::beast::http::header<isRequest, Fields>&, value_type& body)
            : body_(body), remaining_(body.length) {}

        void init(boost::beast::error_code& ec) { body_.file.seek(body_.offset, ec); }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code& ec) {
            const auto amount =
                static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, buffer_.size()));
            if (amount == 0) {
                ec = {};
                return boost::none;
            }
            const auto read = body_.file.read(buffer_.data(), amount, ec);
            if (ec) return boost::none;
            if (read == 0) {  // the file shrank since its size was taken
                ec = boost::beast::http::error::short_read;
                return boost::none;
            }
            remaining_ -= read;
            return {{const_buffers_type(buffer_.data(), read), remaining_ > 0}};
        }

      private:
        value_type& body_;
        std::uint64_t remaining_;
        std::array<char, 64 * 1024> buffer_{};
    };
};

}  // namespace kompo::server
