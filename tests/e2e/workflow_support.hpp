#pragma once
// Driving the workflow engine from outside, as an operator would: `kompo submit`,
// `kompo worker` processes in the background, `kompo status --json` to look.
#include <sys/types.h>

#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "e2e_support.hpp"

namespace kompo::test {

// A `kompo worker` process; killed (SIGKILL) when destroyed if still running.
class WorkerProcess {
  public:
    // Runs `kompo worker --id ID` with a short lease (2 s), checkpoints every second and
    // long segments kept whole (unless `quick_settings` is false: then only what the
    // configuration says), plus `extra` flags; output goes to `log`. `binary`:
    // KOMPO_TEST_BIN for the test build, the only one honouring KOMPO_TEST_* in `env`.
    WorkerProcess(const std::string& id, const fs::path& log,
                  const std::vector<std::string>& extra = {},
                  const std::vector<std::string>& env = {}, const char* binary = KOMPO_BIN,
                  bool quick_settings = true);
    ~WorkerProcess();
    WorkerProcess(const WorkerProcess&) = delete;
    WorkerProcess& operator=(const WorkerProcess&) = delete;

    void signal(int sig);
    // Waits for the process to end: its exit code, or 128 + signal.
    int wait_exit();
    const std::string& id() const { return id_; }

  private:
    std::string id_;
    pid_t pid_ = 0;
    bool running_ = true;
};

// KOMPO_STORE for every command the test starts (submit, status, workers, servers), unset
// when the test ends.
struct StoreEnvironment {
    explicit StoreEnvironment(const std::string& url) { setenv("KOMPO_STORE", url.c_str(), 1); }
    ~StoreEnvironment() { unsetenv("KOMPO_STORE"); }
};

// `kompo submit`; returns the execution id.
std::string submit(const fs::path& komposition, const fs::path& output,
                   const std::vector<std::string>& extra = {});

// `kompo status ID --json --events`.
nlohmann::json status_of(const std::string& id);

// `kompo status ID --watch --json`: blocks until the execution ends; its exit code.
CommandResult watch(const std::string& id);

// Polls the status until `ready` holds (failing the test after `seconds`).
nlohmann::json wait_for_status(const std::string& id,
                               const std::function<bool(const nlohmann::json&)>& ready,
                               double seconds = 300);

// The step named `name` in a status document (fails the test when absent).
nlohmann::json step_named(const nlohmann::json& status, const std::string& name);
// Its events of one type ("step.running", "step.progress", ...), in order.
std::vector<nlohmann::json> step_events(const nlohmann::json& status, const std::string& name,
                                        const std::string& type);
// Steps of a kind in one state.
int count_steps(const nlohmann::json& status, const std::string& kind, const std::string& state);

// A checkpointed segment well under way: running, with a checkpoint, and past it.
bool segment_past_checkpoint(const nlohmann::json& step);

}  // namespace kompo::test
