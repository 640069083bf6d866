// When sources already are what the output needs, their packets are copied unchanged.
// The sources move (every frame shows its own number, the second clip's from 1000), so the
// frames read back from the output say which source frame each packet came from.
#include <fstream>
#include <sstream>

#include "e2e_support.hpp"

namespace kompo::test {
namespace {

// Size and MD5 of each video packet, in file order (ffmpeg's framemd5 muxer).
std::vector<std::string> packet_hashes(const fs::path& media) {
    auto r = run({"ffmpeg", "-v", "error", "-i", media.string(), "-map", "0:v", "-c", "copy", "-f",
                  "framemd5", "-"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> hashes;
    std::istringstream lines(r.out);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto size_at =
            line.find(',', line.find(',', line.find(',', line.find(',') + 1) + 1) + 1);
        hashes.push_back(line.substr(size_at + 1));
    }
    return hashes;
}

Json copy_doc(const fs::path& dir, int width) {
    // Keyframe every 15 frames; the second clip's numbers start at 1000.
    make_numbered_clip(dir / "red.mp4", 6, 96, 54, "30", 0);
    make_numbered_clip(dir / "blue.mp4", 6, 96, 54, "30", 1000);
    Json doc = komposition_doc(120, 30, width, 54);
    add_source(doc, "red", "red.mp4", "video");
    add_source(doc, "blue", "blue.mp4", "video");
    add_segment(doc, "a", "red", 0, 4);   // source 0 s to 2 s: keyframes at both ends
    add_segment(doc, "b", "blue", 4, 4);  // source 2 s to 4 s
    return doc;
}

TEST(StreamCopy, MatchingSourcesOnKeyframesAreCopiedPacketForPacket) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, copy_doc(dir, 96));
    auto plan = kompo({"plan", k.string()});
    EXPECT_NE(plan.out.find("(copied)"), std::string::npos) << plan.out;

    const auto out = dir / "out.mp4";
    render_ok(k, out);
    const auto ours = packet_hashes(out);
    const auto red = packet_hashes(dir / "red.mp4");
    const auto blue = packet_hashes(dir / "blue.mp4");
    ASSERT_EQ(ours.size(), 120u);
    for (size_t i = 0; i < 60; ++i) EXPECT_EQ(ours[i], red[i]) << "packet " << i;
    for (size_t i = 60; i < 120; ++i) EXPECT_EQ(ours[i], blue[i]) << "packet " << i;
    EXPECT_EQ(count_video_frames(out), 120);
    // And they show the frames asked for: red 0-59, then blue from 2 s (its frame 60).
    std::vector<int> expected;
    for (int i = 0; i < 60; ++i) expected.push_back(i);
    for (int i = 60; i < 120; ++i) expected.push_back(1000 + i);
    EXPECT_EQ(read_frame_numbers(out), expected);
}

TEST(StreamCopy, AnyDifferenceFromTheOutputMeansEncoding) {
    const auto dir = scratch_dir();
    const auto k = write_doc(dir, copy_doc(dir, 128));  // the output is wider than the sources
    auto plan = kompo({"plan", k.string()});
    EXPECT_EQ(plan.exit_code, 0) << plan.err;
    EXPECT_EQ(plan.out.find("(copied)"), std::string::npos) << plan.out;
    const auto out = dir / "out.mp4";
    render_ok(k, out);
    EXPECT_EQ(count_video_frames(out), 120);
}

}  // namespace
}  // namespace kompo::test
