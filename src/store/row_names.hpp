#pragma once
// The rows of the modules, by their short names inside the store.
#include <type_traits>

#include "store/store.hpp"

namespace kompo::store {

using auth::AuditEntry;
using auth::AuditQuery;
using auth::Credential;
using auth::Membership;
using auth::User;
using platform::Document;
using platform::DocumentQuery;
using platform::Quota;
using workflow::Artifact;
using workflow::ClaimRule;
using workflow::Event;
using workflow::event_type_from;
using workflow::event_type_name;
using workflow::EventType;
using workflow::Execution;
using workflow::execution_state_from;
using workflow::ExecutionQuery;
using workflow::ExecutionState;
using workflow::state_name;
using workflow::Step;
using workflow::step_kind_from;
using workflow::step_kind_name;
using workflow::step_state_from;
using workflow::StepKind;
using workflow::StepState;
using workflow::WorkerRecord;

// How a state or a step kind is stored: by its name in the vocabulary's table.
template <typename Value>
const char* stored_name(Value value) {
    if constexpr (std::is_same_v<Value, StepKind>) {
        return step_kind_name(value);
    } else {
        return state_name(value);
    }
}

}  // namespace kompo::store
