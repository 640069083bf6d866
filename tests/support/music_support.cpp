#include "support/music_support.hpp"

#include <fstream>
#include <string>

#include "support/support.hpp"

namespace kompo::test {

namespace {

std::string number(double x) {
    return std::to_string(x);
}

// aevalsrc expression: st(0) time since the music starts, st(1) time since the last beat,
// st(2) the beat's number, st(3) time since the last eighth.
std::string drums_expression(double bpm, double lead_in) {
    const std::string period = number(60.0 / bpm);
    const std::string pad = "0.05*(sin(2*PI*220*t)+sin(2*PI*277.18*t)+sin(2*PI*329.63*t))";
    const std::string kick =
        "if(eq(mod(ld(2),2),0),if(eq(mod(ld(2),4),0),0.9,0.6),0)"
        "*sin(2*PI*(45*ld(1)+2.5*(1-exp(-ld(1)*30))))*exp(-ld(1)*18)";
    const std::string snare = "if(eq(mod(ld(2),2),1),0.45,0)*(2*random(4)-1)*exp(-ld(1)*25)";
    const std::string hat = "0.12*(2*random(5)-1)*exp(-ld(3)*60)";
    return "st(0,t-" + number(lead_in) + ");st(1,mod(ld(0)," + period + "));st(2,floor(ld(0)/" +
           period + "));st(3,mod(ld(0)," + period + "/2));if(lt(ld(0),0),0," + kick + "+" + snare +
           "+" + hat + "+" + pad + ")";
}

}  // namespace

void make_drum_track(const fs::path& out, double bpm, double lead_in, double seconds,
                     int sample_rate) {
    ffmpeg({"-f", "lavfi", "-i",
            "aevalsrc=exprs='" + drums_expression(bpm, lead_in) +
                "':s=" + std::to_string(sample_rate) + ":d=" + number(seconds),
            out.string()});
}

void make_pad_track(const fs::path& out, double seconds) {
    ffmpeg({"-f", "lavfi", "-i",
            "aevalsrc=exprs='0.1*(sin(2*PI*220*t)+sin(2*PI*277.18*t)+sin(2*PI*329.63*t))':s="
            "22050:d=" +
                number(seconds),
            out.string()});
}

void make_cut_clip(const fs::path& out, const std::vector<int>& shot_frames, int rate, int width,
                   int height, int black_frames, int first_look) {
    // Distinct looks that all move, so no shot is static and any two differ.
    const std::vector<std::string> looks = {"testsrc2", "smptehdbars", "rgbtestsrc",
                                            "testsrc",  "yuvtestsrc",  "pal100bars"};
    const std::string size = std::to_string(width) + "x" + std::to_string(height);
    std::string graph;
    std::string inputs;
    std::size_t n = 0;
    for (; n < shot_frames.size(); ++n) {
        const std::string look = looks[(n + first_look) % looks.size()];
        // Still bar patterns scroll sideways, so every shot has motion.
        graph += look + "=s=" + size + ":r=" + std::to_string(rate) +
                 ",trim=end_frame=" + std::to_string(shot_frames[n]) +
                 ",scroll=h=0.01,setpts=PTS-STARTPTS[s" + std::to_string(n) + "];";
        inputs += "[s" + std::to_string(n) + "]";
    }
    if (black_frames > 0) {
        graph += "color=black:s=" + size + ":r=" + std::to_string(rate) +
                 ",trim=end_frame=" + std::to_string(black_frames) + ",setpts=PTS-STARTPTS[s" +
                 std::to_string(n) + "];";
        inputs += "[s" + std::to_string(n) + "]";
        ++n;
    }
    graph += inputs + "concat=n=" + std::to_string(n) + ":v=1:a=0,format=yuv420p";
    ffmpeg({"-f", "lavfi", "-i", graph, "-c:v", "libx264", "-preset", "ultrafast", "-g", "30",
            out.string()});
}

}  // namespace kompo::test

namespace kompo::test {

std::vector<long long> scene_change_frames(const fs::path& media, double threshold) {
    const fs::path listing = media.string() + ".scenes.txt";
    ffmpeg({"-i", media.string(), "-an", "-vf",
            "scdet=threshold=" + std::to_string(threshold) +
                ",metadata=mode=print:key=lavfi.scd.time:file=" + listing.string(),
            "-f", "null", "-"});
    std::vector<long long> frames;
    std::ifstream in(listing);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("frame:", 0) == 0) frames.push_back(std::stoll(line.substr(6)));
    }
    return frames;
}

}  // namespace kompo::test
