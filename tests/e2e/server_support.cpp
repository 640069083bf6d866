#include "server_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/credentials.hpp"
#include "support/support.hpp"

extern char** environ;

namespace kompo::test {

namespace fs = std::filesystem;

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = 60s;
constexpr auto kStopTimeout = 30s;
// After the server exits: how long its children may keep its output open.
constexpr auto kOutputDrainTimeout = 5s;

// <suite>.<test> of the running test, as scratch_dir() names its folder.
std::string current_test_name() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "misc";
    std::replace(name.begin(), name.end(), '/', '_');
    return name;
}

// The test's server log: emptied by the first server of a test, appended to by the next.
std::ofstream open_log_file() {
    static std::mutex mutex;
    static std::string emptied_for;
    const std::lock_guard lock(mutex);
    const std::string name = current_test_name();
    const fs::path dir(KOMPO_TEST_OUTPUT);
    fs::create_directories(dir);
    const auto mode = name == emptied_for ? std::ios::app : std::ios::trunc;
    emptied_for = name;
    return std::ofstream(dir / (name + ".server.log"), std::ios::out | mode);
}

bool has_flag(const std::vector<std::string>& args, const std::string& flag) {
    return std::any_of(args.begin(), args.end(), [&](const std::string& arg) {
        return arg == flag || arg.rfind(flag + "=", 0) == 0;
    });
}

std::vector<std::string> serve_args(const char* binary, const fs::path& data_dir,
                                    const std::vector<std::string>& extra) {
    std::vector<std::string> args{binary, "serve"};
    if (!has_flag(extra, "--host")) args.insert(args.end(), {"--host", "127.0.0.1"});
    if (!has_flag(extra, "--port")) args.insert(args.end(), {"--port", "0"});
    args.insert(args.end(), {"--data-dir", data_dir.string()});
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

// This process's environment with `overrides` set.
std::vector<std::string> environment(const std::map<std::string, std::string>& overrides) {
    std::vector<std::string> out;
    for (char** e = environ; *e; ++e) {
        const std::string entry(*e);
        if (overrides.count(entry.substr(0, entry.find('='))) == 0) out.push_back(entry);
    }
    for (const auto& [name, value] : overrides) out.push_back(name + "=" + value);
    return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : " ") + part;
    return out;
}

// The port of the {"msg":"listening","port":N} log line.
std::optional<int> listening_port(const std::string& line) {
    const auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
    const auto msg = doc.find("msg");
    const auto port = doc.find("port");
    if (msg == doc.end() || *msg != "listening") return std::nullopt;
    if (port == doc.end() || !port->is_number_integer()) return std::nullopt;
    return port->get<int>();
}

int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// ServerProcess

ServerProcess::ServerProcess(const fs::path& data_dir, std::vector<std::string> extra_args,
                             std::map<std::string, std::string> env, const char* binary)
    : log_file_(open_log_file()) {
    const auto args = serve_args(binary, data_dir, extra_args);
    provision_admin(data_dir);
    log_file_ << "=== " << join(args) << std::endl;
    spawn(args, env);
    reader_ = std::thread([this] { read_output(); });
    waiter_ = std::thread([this] { wait_child(); });
    try {
        wait_listening();
    } catch (...) {
        finish();
        throw;
    }
    register_port_credentials(port_, {{"Authorization", "Bearer " + admin_token_}});
}

// Through the CLI, as an operator would. A data folder reused by a second server keeps
// its admin; each server gets a token of its own.
void ServerProcess::provision_admin(const fs::path& data_dir) {
    const auto dir = data_dir.string();
    const auto added = kompo({"user", "add", "admin", "--role", "admin", "--data-dir", dir});
    const std::string marker = "password: ";
    if (const auto at = added.out.find(marker); added.exit_code == 0 && at != std::string::npos) {
        admin_password_ = added.out.substr(at + marker.size());
        admin_password_ = admin_password_.substr(0, admin_password_.find(' '));
    } else if (added.err.find("exists") == std::string::npos) {
        throw std::runtime_error("kompo user add admin: " + added.out + added.err);
    }
    const auto token =
        kompo({"token", "add", "--user", "admin", "--label", "tests", "--data-dir", dir});
    if (token.exit_code != 0) throw std::runtime_error("kompo token add: " + token.err);
    admin_token_ = token.out.substr(0, token.out.find('\n'));
}

ServerProcess::~ServerProcess() {
    forget_port_credentials(port_);
    try {
        const int code = stop();
        if (code != expected_exit_code_) {
            const auto output = log();
            constexpr std::size_t kShown = 4000;
            ADD_FAILURE() << "kompo serve exited with code " << code << ", not "
                          << expected_exit_code_ << "; the end of its output:\n"
                          << output.substr(output.size() > kShown ? output.size() - kShown : 0);
        }
    } catch (const std::exception& e) {
        ADD_FAILURE() << "stopping kompo serve: " << e.what();
    }
}

void ServerProcess::spawn(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(wake_fds_, O_CLOEXEC)) {
        throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawnattr_t attr;
    own_group_default_signals(attr);
    auto argv_strings = args;
    auto env_strings = environment(env);
    const auto argv = c_strings(argv_strings);
    const auto envp = c_strings(env_strings);
    const int rc = posix_spawn(&pid_, argv[0], &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    if (rc != 0) {
        close_fd(out_fd_);
        close_fd(err_fd_);
        close_fd(wake_fds_[0]);
        close_fd(wake_fds_[1]);
        throw std::runtime_error("cannot start " + args[0] + ": " + std::strerror(rc));
    }
}

// The reader thread: splits stdout and stderr into lines until both close, or until told
// to stop (then it takes what is already there).
void ServerProcess::read_output() {
    std::array<pollfd, 3> fds{
        {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}, {wake_fds_[0], POLLIN, 0}}};
    std::array<std::string, 2> partial;
    bool stopping = false;
    std::array<char, 65536> buf;
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        const int ready = poll(fds.data(), fds.size(), stopping ? 0 : -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) break;
        if (fds[2].revents != 0) {
            stopping = true;
            fds[2].fd = -1;
        }
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || fds[i].revents == 0) continue;
            const ssize_t n = ::read(fds[i].fd, buf.data(), buf.size());
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fds[i].fd = -1;
                continue;
            }
            partial[i].append(buf.data(), static_cast<std::size_t>(n));
            for (auto end = partial[i].find('\n'); end != std::string::npos;
                 end = partial[i].find('\n')) {
                add_line(i, partial[i].substr(0, end));
                partial[i].erase(0, end + 1);
            }
        }
    }
    for (int i = 0; i < 2; ++i) {
        if (!partial[i].empty()) add_line(i, partial[i]);
    }
    close_fd(out_fd_);
    close_fd(err_fd_);
    const std::lock_guard lock(mutex_);
    output_closed_ = true;
    changed_.notify_all();
}

void ServerProcess::add_line(int stream, std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::lock_guard lock(mutex_);
    log_file_ << line << std::endl;
    log_ += line + "\n";
    if (stream == 0) {
        if (!listening_port_) listening_port_ = listening_port(line);
        stdout_lines_.push_back(std::move(line));
    }
    changed_.notify_all();
}

// The waiter thread: reaps the server and records its exit code.
void ServerProcess::wait_child() {
    int status = 0;
    pid_t r = 0;
    do {
        r = waitpid(pid_, &status, 0);
    } while (r < 0 && errno == EINTR);
    const std::lock_guard lock(mutex_);
    exit_code_ = r == pid_ ? exit_code_of(status) : -1;
    changed_.notify_all();
}

void ServerProcess::wait_listening() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, kStartTimeout, [this] { return listening_port_ || exit_code_; });
    if (listening_port_) {
        port_ = *listening_port_;
        return;
    }
    if (exit_code_) {
        changed_.wait_for(lock, kOutputDrainTimeout, [this] { return output_closed_; });
        throw std::runtime_error("kompo serve exited with code " + std::to_string(*exit_code_) +
                                 " before listening; its output:\n" + log_);
    }
    throw std::runtime_error("kompo serve did not log \"listening\" within 60 s; its output:\n" +
                             log_);
}

int ServerProcess::stop() {
    signal(SIGTERM);
    auto code = wait_exit(kStopTimeout);
    if (!code) {
        note("still running 30 s after SIGTERM: SIGKILL to its process group");
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
        code = wait_exit(kStopTimeout);
    }
    finish();
    return code.value_or(-1);
}

// Reaps the server (killing it if need be), kills what it left in its process group, and
// ends both threads. Idempotent.
void ServerProcess::finish() {
    if (finished_) return;
    finished_ = true;
    if (!wait_exit(0ms)) {
        ::kill(-pid_, SIGKILL);
        ::kill(pid_, SIGKILL);
    }
    waiter_.join();
    if (::kill(-pid_, SIGKILL) == 0) note("killed processes left in the server's process group");
    {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, kOutputDrainTimeout, [this] { return output_closed_; });
    }
    const char stop = 1;
    if (::write(wake_fds_[1], &stop, 1) != 1) note("cannot wake the output reader");
    reader_.join();
    close_fd(wake_fds_[0]);
    close_fd(wake_fds_[1]);
}

void ServerProcess::note(const std::string& text) {
    add_line(1, "[server_support] " + text);
}

void ServerProcess::signal(int sig) {
    const std::lock_guard lock(mutex_);
    if (!exit_code_) ::kill(pid_, sig);
}

std::optional<int> ServerProcess::wait_exit(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [this] { return exit_code_.has_value(); });
    return exit_code_;
}

bool ServerProcess::running() const {
    const std::lock_guard lock(mutex_);
    return !exit_code_;
}

std::string ServerProcess::log() const {
    const std::lock_guard lock(mutex_);
    return log_;
}

std::vector<std::string> ServerProcess::stdout_lines() const {
    const std::lock_guard lock(mutex_);
    return stdout_lines_;
}

bool ServerProcess::wait_for_log(const std::function<bool(const std::string&)>& match,
                                 std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    std::size_t checked = 0;  // bytes of log_ already searched
    return changed_.wait_for(lock, timeout, [&] {
        while (checked < log_.size()) {
            const auto end = log_.find('\n', checked);
            if (end == std::string::npos) break;
            const bool found = match(log_.substr(checked, end - checked));
            checked = end + 1;
            if (found) return true;
        }
        return false;
    });
}

// ---------------------------------------------------------------------------------------
// wait_for_render

namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

nlohmann::json render_document(int port, const std::string& target, const HttpHeaders& headers) {
    const auto res = http_get(port, target, headers);
    if (res.status != 200) {
        throw std::runtime_error("GET " + target + ": status " + std::to_string(res.status) + ": " +
                                 res.body);
    }
    auto doc = res.json();
    if (!doc.contains("state") || !doc["state"].is_string()) {
        throw std::runtime_error("GET " + target + ": no \"state\" in " + doc.dump());
    }
    return doc;
}

// Waits for the next event (taking any further ones already received with it); false
// when the stream ended or the deadline passed first.
bool next_events(SseClient& events, Clock::time_point deadline) {
    try {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (!events.next(std::max(left, 0ms))) return false;
        while (!events.ended() && events.next(0ms)) {
        }
        return true;
    } catch (const std::runtime_error&) {
        return false;  // the stream ended
    }
}

}  // namespace

nlohmann::json wait_for_render(int port, const std::string& render_id,
                               const std::vector<std::string>& end_states,
                               std::chrono::seconds timeout, const HttpHeaders& headers) {
    static const std::vector<std::string> kTerminal{"succeeded", "failed", "cancelled"};
    const auto deadline = Clock::now() + timeout;
    const std::string target = "/api/v1/renders/" + render_id;
    std::optional<SseClient> events;
    int empty_streams = 0;  // streams in a row that ended without an event
    for (;;) {
        // Subscribe before reading the state, so that no change falls in between.
        if (!events || events->ended()) events.emplace(port, target + "/events", headers);
        const auto render = render_document(port, target, headers);
        const std::string state = render["state"];
        if (contains(end_states, state)) return render;
        if (contains(kTerminal, state)) {
            throw std::runtime_error("render " + render_id + " ended in state " + state +
                                     ", not an awaited one: " + render.dump(1));
        }
        if (Clock::now() >= deadline) {
            throw std::runtime_error("render " + render_id + " did not reach an awaited state in " +
                                     std::to_string(timeout.count()) +
                                     " s; last: " + render.dump(1));
        }
        const bool got_event = next_events(*events, deadline);
        empty_streams = got_event || !events->ended() ? 0 : empty_streams + 1;
        if (empty_streams >= 3) {
            throw std::runtime_error("the event stream of render " + render_id +
                                     " keeps ending without events; last: " + render.dump(1));
        }
    }
}

nlohmann::json clip_komposition(const std::string& id, const std::vector<ClipSegment>& segments,
                                int width, int height, const std::string& url) {
    auto shown = nlohmann::json::array();
    for (const auto& s : segments) {
        shown.push_back({{"id", s.id},
                         {"sourceid", "clip"},
                         {"start", s.start},
                         {"duration", s.end - s.start},
                         {"end", s.end}});
    }
    return {
        {"_id", id},
        {"type", "Komposition"},
        {"bpm", 120},
        {"config", {{"width", width}, {"height", height}, {"framerate", 30}, {"extension", "mp4"}}},
        {"segments", shown},
        {"sources",
         {{{"id", "clip"},
           {"url", url},
           {"startingOffset", 0},
           {"checksums", ""},
           {"extension", "mp4"},
           {"mediatype", "video"}}}}};
}

}  // namespace kompo::test
