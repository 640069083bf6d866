#pragma once
// Running `kompo serve` as a background process for end-to-end tests of its HTTP API, and
// waiting on renders through it. Clients: support/http_client.hpp, support/ws_client.hpp.
#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_client.hpp"
#include "support/ws_client.hpp"

namespace kompo::test {

// `kompo serve --host 127.0.0.1 --port 0 --data-dir DIR` + extra args (which may give their
// own --host/--port instead), in its own process group. The constructor returns once the
// server has logged its "listening" line (throwing, with the server's output, when it
// exits first or does not within 60 s). Its stdout and stderr are kept (log()) and
// appended to <build>/test-output/<suite>.<test>.server.log.
class ServerProcess {
  public:
    // `env` adds to (or overrides) this process's environment. `binary`: KOMPO_TEST_BIN
    // for the test build, the only one honouring test hooks (KOMPO_TEST_* in `env`).
    explicit ServerProcess(const std::filesystem::path& data_dir,
                           std::vector<std::string> extra_args = {},
                           std::map<std::string, std::string> env = {},
                           const char* binary = KOMPO_BIN);
    // Stops the server like stop() when still running, and fails the test when it exited
    // with another code than expected (0 unless expect_exit_code says otherwise): a crash,
    // a sanitizer's report (a leak at exit aborts in the ASan build) or an unclean shutdown.
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return port_; }
    pid_t pid() const { return pid_; }
    // Before it starts, the server's data folder gets a user "admin" (role admin in tenant
    // "default") and an API token of theirs, which every client call to port() sends
    // (support/credentials.hpp) unless it names its own credentials.
    const std::string& admin_password() const { return admin_password_; }
    const std::string& admin_token() const { return admin_token_; }

    // SIGTERM, then waits for the exit (SIGKILL to the process group after 30 s). Its exit
    // code, or 128 + signal. Calling it again returns the same code.
    int stop();
    // The exit code the destructor accepts (a test that kills the server on purpose).
    void expect_exit_code(int code) { expected_exit_code_ = code; }
    // Sends `sig` to the server (not its group) when it is still running.
    void signal(int sig);
    // Waits for the server to exit by itself: its exit code, or nullopt on timeout.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);
    bool running() const;

    // Everything the server wrote so far: stdout and stderr lines, in arrival order.
    std::string log() const;
    // The stdout lines so far (JSON log lines).
    std::vector<std::string> stdout_lines() const;
    // Waits for a line (stdout or stderr, already written or to come) satisfying `match`.
    bool wait_for_log(const std::function<bool(const std::string&)>& match,
                      std::chrono::milliseconds timeout);

  private:
    void provision_admin(const std::filesystem::path& data_dir);
    void spawn(const std::vector<std::string>& args, const std::map<std::string, std::string>& env);
    void read_output();
    void wait_child();
    void add_line(int stream, std::string line);
    void wait_listening();
    void finish();
    void note(const std::string& text);

    pid_t pid_ = 0;
    int port_ = 0;
    std::string admin_password_;
    std::string admin_token_;
    int out_fd_ = -1;
    int err_fd_ = -1;
    int wake_fds_[2] = {-1, -1};  // tells the reader to stop
    std::ofstream log_file_;
    std::thread reader_;
    std::thread waiter_;
    bool finished_ = false;
    int expected_exit_code_ = 0;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::string log_;
    std::vector<std::string> stdout_lines_;
    std::optional<int> listening_port_;
    std::optional<int> exit_code_;
    bool output_closed_ = false;
};

// A komposition (120 BPM, 30 fps, mp4) whose segments all show the video source "clip"
// at `url`: what the server tests render. Segments are {id, start beat, end beat}.
struct ClipSegment {
    std::string id;
    int start = 0;
    int end = 0;
};
nlohmann::json clip_komposition(const std::string& id, const std::vector<ClipSegment>& segments,
                                int width = 320, int height = 180,
                                const std::string& url = "clip.mp4");

// Waits until GET /api/v1/renders/{id} has a "state" among `end_states` and returns that
// document. Rather than polling on a timer, it subscribes to the render's event stream
// (GET /api/v1/renders/{id}/events) and re-reads the render after each event. Throws,
// with the last document, on timeout, or when the render ended in a state not awaited.
nlohmann::json wait_for_render(int port, const std::string& render_id,
                               const std::vector<std::string>& end_states = {"succeeded", "failed",
                                                                             "cancelled"},
                               std::chrono::seconds timeout = std::chrono::seconds(300),
                               const HttpHeaders& headers = {});

}  // namespace kompo::test
