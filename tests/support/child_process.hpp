#pragma once
// Helper processes of a test run (a database server's tools, an S3-API server): started
// without a shell, stdin from /dev/null, stdout and stderr appended to a log file (never
// a pipe, so a daemon they leave behind cannot hold the test up), in their own process
// group so that a last-resort SIGKILL reaches their children too.
#include <spawn.h>
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace kompo::test {

// Initialises `attr` (the caller destroys it) for a child in its own process group (so that
// a last-resort SIGKILL reaches its children too), with no signal blocked and default
// handling of the signals tests send, whatever this process does.
void own_group_default_signals(posix_spawnattr_t& attr);

class ChildProcess {
  public:
    // Starts argv[0] (looked up on PATH); throws std::runtime_error when it cannot.
    ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log);
    // Stops it like stop() when still running.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    // Whether it is still running (reaps it when it has exited).
    bool running();
    // Waits for it to exit by itself, at most `timeout`: its exit code (128 + signal when
    // killed), or -1 when it is still running.
    int wait(std::chrono::milliseconds timeout);
    // SIGTERM, then SIGKILL to its process group when it has not exited within `grace`.
    // Its exit code as wait() gives it.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  private:
    bool reap(int options);

    pid_t pid_ = 0;
    int pidfd_ = -1;
    int exit_code_ = -1;
};

// Runs argv to its end with output appended to `log`: its exit code. Kills it (and fails)
// when it has not finished within `timeout`.
int run_logged(const std::vector<std::string>& argv, const std::filesystem::path& log,
               std::chrono::milliseconds timeout = std::chrono::minutes(2));

// The last `max_bytes` of a log file, for failure messages.
std::string tail_of(const std::filesystem::path& log, std::size_t max_bytes = 4000);

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's choice).
int free_loopback_port();

// Waits until something accepts TCP connections on 127.0.0.1:port, at most `timeout`, or
// until `child` exits: whether it does.
bool wait_for_port(int port, ChildProcess& child, std::chrono::milliseconds timeout);

}  // namespace kompo::test
