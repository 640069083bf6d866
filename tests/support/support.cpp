#include "support/support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>

#include <gtest/gtest.h>

extern char** environ;

namespace kompo::test {

fs::path scratch_dir() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "misc";
    for (auto& c : name)
        if (c == '/') c = '_';
    fs::path dir = fs::path(KOMPO_TEST_OUTPUT) / name;
    fs::remove_all(dir);
    fs::create_directories(dir);
    // Every test gets its own store and cache, beside its folder (not in it: some tests
    // check what a command leaves in the folder), so no test is served another's cache.
    const fs::path data_dir = fs::path(KOMPO_TEST_OUTPUT) / (name + ".data");
    fs::remove_all(data_dir);
    setenv("KOMPO_DATA_DIR", data_dir.c_str(), 1);
    return dir;
}

CommandResult run(const std::vector<std::string>& argv) {
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out_pipe[1]);
    close(err_pipe[1]);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + strerror(rc));

    CommandResult result;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
            ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                sinks[i]->append(buf, static_cast<size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return result;
}

CommandResult kompo(const std::vector<std::string>& args) {
    std::vector<std::string> argv{KOMPO_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
}

void ffmpeg(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"ffmpeg", "-hide_banner", "-loglevel", "error", "-y"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run(argv);
    if (r.exit_code != 0) throw std::runtime_error("ffmpeg failed: " + r.err);
}

namespace {
std::string size(int w, int h) {
    return std::to_string(w) + "x" + std::to_string(h);
}
std::string num(double v) {
    char b[64];
    snprintf(b, sizeof b, "%.6f", v);
    return b;
}
// x264 with a short GOP keeps generated clips seekable like camera footage.
std::vector<std::string> h264_args() {
    return {"-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15"};
}
}  // namespace

void make_colour_clip(const fs::path& out, const std::string& colour_name, double seconds,
                      int width, int height, const std::string& rate) {
    std::vector<std::string> args{"-f", "lavfi", "-i",
                                  "color=c=" + colour_name + ":s=" + size(width, height) +
                                      ":r=" + rate + ":d=" + num(seconds)};
    for (auto& a : h264_args()) args.push_back(a);
    args.push_back(out.string());
    ffmpeg(args);
}

void make_numbered_clip(const fs::path& out, double seconds, int width, int height,
                        const std::string& rate, int first_number) {
    // Bar k (of 16, left to right) is white when bit k of the frame's number is set.
    std::string pattern = "geq=lum='255*mod(floor((N+" + std::to_string(first_number) +
                          ")/pow(2,floor(X*16/W))),2)':cb=128:cr=128";
    std::vector<std::string> args{"-f",
                                  "lavfi",
                                  "-i",
                                  "color=c=black:s=" + size(width, height) + ":r=" + rate +
                                      ":d=" + num(seconds) + ",format=yuv420p," + pattern,
                                  "-c:v",
                                  "libx264",
                                  "-preset",
                                  "ultrafast",
                                  "-qp",
                                  "0",
                                  "-pix_fmt",
                                  "yuv420p",
                                  "-g",
                                  "15",
                                  out.string()};
    ffmpeg(args);
}

void make_colour_image(const fs::path& out, const std::string& colour_name, int width, int height) {
    ffmpeg({"-f", "lavfi", "-i", "color=c=" + colour_name + ":s=" + size(width, height),
            "-frames:v", "1", out.string()});
}

void make_click_track(const fs::path& out, double bpm, double seconds) {
    // A 2 ms burst of a 1 kHz tone at the start of every beat, silence elsewhere.
    std::string expr = "if(lt(mod(t," + num(60.0 / bpm) + "),0.002),0.9*sin(2*PI*1000*t),0)";
    ffmpeg({"-f", "lavfi", "-i", "aevalsrc=exprs='" + expr + "':s=48000:d=" + num(seconds), "-ac",
            "2", out.string()});
}

std::string file_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

nlohmann::json ffprobe(const fs::path& media) {
    auto r = run({"ffprobe", "-v", "error", "-print_format", "json", "-show_streams",
                  "-show_format", media.string()});
    if (r.exit_code != 0) throw std::runtime_error("ffprobe failed: " + r.err);
    return nlohmann::json::parse(r.out);
}

std::int64_t count_video_frames(const fs::path& media) {
    auto r = run({"ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                  "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", media.string()});
    if (r.exit_code != 0) throw std::runtime_error("ffprobe failed: " + r.err);
    return std::stoll(r.out);
}

namespace {
std::string decode_raw(const fs::path& media, const std::string& filter, const std::string& pix) {
    auto r =
        run({"ffmpeg", "-hide_banner", "-loglevel", "error", "-i", media.string(), "-map", "0:v:0",
             "-vf", filter, "-vsync", "passthrough", "-f", "rawvideo", "-pix_fmt", pix, "-"});
    if (r.exit_code != 0) throw std::runtime_error("decoding failed: " + r.err);
    return r.out;
}
}  // namespace

std::vector<Rgb> region_colours(const fs::path& media, double x, double y, double w, double h) {
    std::string filter = "crop=iw*" + num(w) + ":ih*" + num(h) + ":iw*" + num(x) + ":ih*" + num(y) +
                         ",scale=1:1:flags=area";
    std::string raw = decode_raw(media, filter, "rgb24");
    std::vector<Rgb> colours;
    for (size_t i = 0; i + 2 < raw.size(); i += 3)
        colours.push_back({static_cast<unsigned char>(raw[i]),
                           static_cast<unsigned char>(raw[i + 1]),
                           static_cast<unsigned char>(raw[i + 2])});
    return colours;
}

std::vector<Rgb> frame_colours(const fs::path& media) {
    return region_colours(media, 0, 0, 1, 1);
}

std::vector<int> read_frame_numbers(const fs::path& media) {
    // Sample the middle row at 16 points, one per bar.
    std::string raw = decode_raw(media, "scale=128:8:flags=area", "gray");
    const size_t frame_size = 128 * 8;
    std::vector<int> numbers;
    for (size_t f = 0; f + frame_size <= raw.size(); f += frame_size) {
        int value = 0;
        bool readable = true;
        bool any_white = false;
        for (int bit = 0; bit < 16; ++bit) {
            auto level = static_cast<unsigned char>(raw[f + 4 * 128 + bit * 8 + 4]);
            if (level > 200) {
                value |= 1 << bit;
                any_white = true;
            } else if (level > 55) {
                readable = false;
            }
        }
        numbers.push_back(readable && (any_white || value == 0) ? value : -1);
    }
    return numbers;
}

std::vector<float> audio_samples(const fs::path& media) {
    auto r = run({"ffmpeg", "-hide_banner", "-loglevel", "error", "-i", media.string(), "-map",
                  "0:a:0", "-ac", "1", "-ar", "48000", "-f", "f32le", "-"});
    if (r.exit_code != 0) throw std::runtime_error("decoding audio failed: " + r.err);
    std::vector<float> samples(r.out.size() / sizeof(float));
    std::memcpy(samples.data(), r.out.data(), samples.size() * sizeof(float));
    return samples;
}

bool near_colour(const Rgb& a, const Rgb& b, int tolerance) {
    for (int i = 0; i < 3; ++i)
        if (std::abs(a[i] - b[i]) > tolerance) return false;
    return true;
}

Rgb colour(const std::string& name) {
    static const std::map<std::string, Rgb> known{
        {"red", {255, 0, 0}},      {"green", {0, 128, 0}},     {"lime", {0, 255, 0}},
        {"blue", {0, 0, 255}},     {"black", {0, 0, 0}},       {"white", {255, 255, 255}},
        {"yellow", {255, 255, 0}}, {"magenta", {255, 0, 255}}, {"cyan", {0, 255, 255}}};
    auto it = known.find(name);
    if (it == known.end()) throw std::invalid_argument("unknown colour " + name);
    return it->second;
}

}  // namespace kompo::test
