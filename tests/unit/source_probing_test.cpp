// Sources probed at once (the probe step hashes new sources on every core): the media
// found are the same as one at a time, and when several sources fail, the error is the
// first one's in the document, whichever probe failed first.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "core/error.hpp"
#include "komposition/komposition.hpp"
#include "render/sources.hpp"

namespace kompo::render {
namespace {

namespace fs = std::filesystem;

// Sources a, gone1, b, gone2 on four segments; the gone ones' files are missing.
komp::Komposition four_sources() {
    std::string segments, sources;
    const char* ids[] = {"a", "gone1", "b", "gone2"};
    for (int i = 0; i < 4; ++i) {
        const std::string id = ids[i];
        const std::string beat = std::to_string(i * 4);
        const std::string end = std::to_string(i * 4 + 4);
        segments += std::string(i ? "," : "") + R"({"id": "s)" + std::to_string(i) +
                    R"(", "sourceid": ")" + id + R"(", "start": )" + beat +
                    R"(, "duration": 4, "end": )" + end + "}";
        sources += std::string(i ? "," : "") + R"({"id": ")" + id + R"(", "url": ")" + id +
                   R"(.mp4", "startingOffset": 0, "checksums": "", "extension": "mp4",
                   "mediatype": "video"})";
    }
    return komp::parse(R"({"_id": "k", "type": "Komposition", "bpm": 120,
        "config": {"width": 64, "height": 48, "framerate": 30, "extension": "mp4"},
        "segments": [)" +
                       segments + R"(], "sources": [)" + sources + "]}");
}

// A prober that knows a.mp4 and b.mp4 and holds the failure of gone1.mp4 back until the
// probe of gone2.mp4 has failed, so that the later source's error comes first in time.
class OrderedFailures {
  public:
    MediaInfo operator()(const fs::path& path, bool) {
        const auto name = path.filename().string();
        if (name == "gone1.mp4") {
            std::unique_lock lock(mutex_);
            if (!changed_.wait_for(lock, std::chrono::seconds(20), [&] { return gone2_failed_; })) {
                ADD_FAILURE() << "gone2.mp4 was not probed while gone1.mp4's probe was running";
            }
        }
        if (name.starts_with("gone")) {
            if (name == "gone2.mp4") {
                std::lock_guard lock(mutex_);
                gone2_failed_ = true;
                changed_.notify_all();
            }
            throw Error::media(path.string() + ": file not found");
        }
        MediaInfo info;
        info.path = path.string();
        info.duration = Seconds(60);
        info.video = VideoStreamInfo{};
        return info;
    }

  private:
    std::mutex mutex_;
    std::condition_variable changed_;
    bool gone2_failed_ = false;
};

TEST(SourceProbing, AtOnceTheErrorIsTheFirstFailingSourceInTheDocument) {
    OrderedFailures prober;
    const SourcePolicy policy{fs::path("/media"), false, {}};
    try {
        probe_sources(four_sources(), komp::RenderRange{}, policy, std::ref(prober), 4);
        FAIL() << "two missing sources were not an error";
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::media);
        EXPECT_STREQ(e.what(), "sources[1] (\"gone1\").url: /media/gone1.mp4: file not found");
    }
}

TEST(SourceProbing, AtOnceFindsWhatOneAtATimeFinds) {
    auto k = four_sources();
    k.segments.resize(3);  // a, gone1 and b: without gone1, a and b only
    k.segments.erase(k.segments.begin() + 1);
    const SourcePolicy policy{fs::path("/media"), false, {}};
    const auto known = [](const fs::path& path, bool) {
        MediaInfo info;
        info.path = path.string();
        info.duration = Seconds(path.filename() == "a.mp4" ? 10 : 20);
        info.video = VideoStreamInfo{};
        return info;
    };
    const auto one_at_a_time = probe_sources(k, komp::RenderRange{}, policy, known, 1);
    const auto at_once = probe_sources(k, komp::RenderRange{}, policy, known, 4);
    ASSERT_EQ(at_once.size(), 2u);
    EXPECT_EQ(at_once.size(), one_at_a_time.size());
    for (const auto& id : {"a", "b"}) {
        EXPECT_EQ(at_once.at(id).path, one_at_a_time.at(id).path) << id;
        EXPECT_EQ(at_once.at(id).duration, one_at_a_time.at(id).duration) << id;
    }
    EXPECT_EQ(at_once.at("b").path, "/media/b.mp4");
}

}  // namespace
}  // namespace kompo::render
