#include "workflow_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

extern char** environ;

namespace kompo::test {

WorkerProcess::WorkerProcess(const std::string& id, const fs::path& log,
                             const std::vector<std::string>& extra,
                             const std::vector<std::string>& env, const char* binary,
                             bool quick_settings)
    : id_(id) {
    std::vector<std::string> args{binary, "worker", "--id", id};
    if (quick_settings) {
        args.insert(args.end(), {"--lease", "2", "--checkpoint-interval", "1", "--grace", "10",
                                 "--chunk-seconds", "1000"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> environment(env);
    for (char** e = environ; *e; ++e) environment.emplace_back(*e);
    std::vector<char*> envp;
    for (auto& e : environment) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    const int rc = posix_spawn(&pid_, binary, &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start kompo worker");
}

WorkerProcess::~WorkerProcess() {
    if (!running_) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
}

void WorkerProcess::signal(int sig) {
    kill(pid_, sig);
}

int WorkerProcess::wait_exit() {
    int status = 0;
    waitpid(pid_, &status, 0);
    running_ = false;
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

std::string submit(const fs::path& komposition, const fs::path& output,
                   const std::vector<std::string>& extra) {
    std::vector<std::string> args{"submit", komposition.string(), "-o", output.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = kompo(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto id = r.out;
    while (!id.empty() && (id.back() == '\n' || id.back() == '\r')) id.pop_back();
    return id;
}

nlohmann::json status_of(const std::string& id) {
    const auto r = kompo({"status", id, "--json", "--events"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
}

CommandResult watch(const std::string& id) {
    // Bounded, so that a render that never ends fails the test instead of hanging it.
    return run({"timeout", "300", KOMPO_BIN, "status", id, "--watch", "--json"});
}

nlohmann::json wait_for_status(const std::string& id,
                               const std::function<bool(const nlohmann::json&)>& ready,
                               double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    for (;;) {
        auto status = status_of(id);
        if (ready(status)) return status;
        if (std::chrono::steady_clock::now() > deadline) {
            ADD_FAILURE() << "gave up waiting; last status: " << status.dump(1);
            return status;
        }
        // Polling an observed condition (not a timed wait for something to happen).
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

nlohmann::json step_named(const nlohmann::json& status, const std::string& name) {
    for (const auto& s : status["steps"]) {
        if (s["name"] == name) return s;
    }
    ADD_FAILURE() << "no step " << name << " in " << status.dump(1);
    return nlohmann::json::object();
}

std::vector<nlohmann::json> step_events(const nlohmann::json& status, const std::string& name,
                                        const std::string& type) {
    std::vector<nlohmann::json> found;
    for (const auto& e : status["events"]) {
        if (e["step"] == name && e["type"] == type) found.push_back(e);
    }
    return found;
}

int count_steps(const nlohmann::json& status, const std::string& kind, const std::string& state) {
    int n = 0;
    for (const auto& s : status["steps"]) {
        if (s["kind"] == kind && s["state"] == state) ++n;
    }
    return n;
}

bool segment_past_checkpoint(const nlohmann::json& step) {
    if (step.is_null() || step["state"] != "running" || step["checkpoint"].is_null()) {
        return false;
    }
    const auto saved = step["checkpoint"]["frames_done"].get<std::int64_t>();
    return saved > 0 && step["frames_done"].get<std::int64_t>() > saved;
}

}  // namespace kompo::test
