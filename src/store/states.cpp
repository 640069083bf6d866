// Names of states as stored and shown, and the clock every process agrees on.
#include <array>
#include <chrono>
#include <utility>

#include "core/error.hpp"
#include "store/store.hpp"

namespace kompo::store {

namespace {

constexpr std::array kExecutionStates{
    std::pair{ExecutionState::queued, "queued"},
    std::pair{ExecutionState::running, "running"},
    std::pair{ExecutionState::succeeded, "succeeded"},
    std::pair{ExecutionState::failed, "failed"},
    std::pair{ExecutionState::cancelled, "cancelled"},
};

constexpr std::array kStepStates{
    std::pair{StepState::waiting, "waiting"},     std::pair{StepState::ready, "ready"},
    std::pair{StepState::running, "running"},     std::pair{StepState::cached, "cached"},
    std::pair{StepState::succeeded, "succeeded"}, std::pair{StepState::failed, "failed"},
    std::pair{StepState::retrying, "retrying"},   std::pair{StepState::cancelled, "cancelled"},
};

template <typename Table, typename State>
const char* name_in(const Table& table, State state) {
    for (const auto& [value, name] : table) {
        if (value == state) return name;
    }
    return "unknown";
}

template <typename Table>
auto state_in(const Table& table, const std::string& name, const char* what) {
    for (const auto& [value, text] : table) {
        if (name == text) return value;
    }
    throw Error::internal(std::string("store: \"") + name + "\" is not a " + what + " state");
}

}  // namespace

Millis now_millis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

const char* state_name(ExecutionState state) {
    return name_in(kExecutionStates, state);
}
const char* state_name(StepState state) {
    return name_in(kStepStates, state);
}

ExecutionState execution_state_from(const std::string& name) {
    return state_in(kExecutionStates, name, "execution");
}
StepState step_state_from(const std::string& name) {
    return state_in(kStepStates, name, "step");
}

}  // namespace kompo::store
