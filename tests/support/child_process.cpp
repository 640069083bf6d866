#include "support/child_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace kompo::test {

namespace {

int exit_code_of(int status) {
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// A descriptor that becomes readable when the process exits: waiting on it needs no
// polling loop.
int open_pidfd(pid_t pid) {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
}

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

bool accepts_connections(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    auto address = loopback(port);
    const bool connected =
        ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

}  // namespace

void own_group_default_signals(posix_spawnattr_t& attr) {
    posix_spawnattr_init(&attr);
    sigset_t no_signals, defaults;
    sigemptyset(&no_signals);
    sigemptyset(&defaults);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGPIPE}) sigaddset(&defaults, sig);
    posix_spawnattr_setsigmask(&attr, &no_signals);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::filesystem::path& log) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    own_group_default_signals(attr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, args[0], &actions, &attr, args.data(), environ);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + argv[0] + ": " + std::strerror(rc));
    pidfd_ = open_pidfd(pid_);
}

ChildProcess::~ChildProcess() {
    stop();
    if (pidfd_ >= 0) ::close(pidfd_);
}

bool ChildProcess::reap(int options) {
    if (exit_code_ >= 0) return true;
    int status = 0;
    pid_t r = 0;
    do {
        r = ::waitpid(pid_, &status, options);
    } while (r < 0 && errno == EINTR);
    if (r != pid_) return false;
    exit_code_ = exit_code_of(status);
    return true;
}

bool ChildProcess::running() {
    return !reap(WNOHANG);
}

int ChildProcess::wait(std::chrono::milliseconds timeout) {
    if (reap(WNOHANG)) return exit_code_;
    if (pidfd_ >= 0) {
        pollfd exited{pidfd_, POLLIN, 0};
        while (::poll(&exited, 1, static_cast<int>(timeout.count())) < 0 && errno == EINTR) {
        }
        return reap(WNOHANG) ? exit_code_ : -1;
    }
    // Kernels without pidfd_open (before 5.3): a blocking wait, bounded by the caller's
    // SIGKILL in stop().
    return reap(0) ? exit_code_ : -1;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
    if (!running()) return exit_code_;
    ::kill(pid_, SIGTERM);
    if (wait(grace) >= 0) return exit_code_;
    ::kill(-pid_, SIGKILL);
    reap(0);
    return exit_code_;
}

int run_logged(const std::vector<std::string>& argv, const std::filesystem::path& log,
               std::chrono::milliseconds timeout) {
    ChildProcess child(argv, log);
    const int code = child.wait(timeout);
    if (code >= 0) return code;
    child.stop(std::chrono::seconds(1));
    throw std::runtime_error(argv[0] + " did not finish within " + std::to_string(timeout.count()) +
                             " ms; its log:\n" + tail_of(log));
}

std::string tail_of(const std::filesystem::path& log, std::size_t max_bytes) {
    std::ifstream in(log, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    const auto all = text.str();
    return all.size() > max_bytes ? all.substr(all.size() - max_bytes) : all;
}

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    auto address = loopback(0);
    socklen_t length = sizeof address;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        ::close(fd);
        throw std::runtime_error(std::string("no free loopback port: ") + std::strerror(errno));
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

bool wait_for_port(int port, ChildProcess& child, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    // A readiness probe, not a pause for something to happen: each refused connection is
    // retried after a short breath until the server answers or the deadline passes.
    while (std::chrono::steady_clock::now() < deadline) {
        if (accepts_connections(port)) return true;
        if (!child.running()) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return accepts_connections(port);
}

}  // namespace kompo::test
