// The workflow's vocabulary: every word has one row and one name, the predicates read
// from the tables, and the web app's copy (web/src/api/vocabulary.ts) is exactly what the
// tables generate. This test is that generator: when the copy differs it writes the fresh
// one beside the test output and names the command that puts it in place.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "support/support.hpp"
#include "workflow/definition.hpp"
#include "workflow/vocabulary.hpp"

namespace kompo::workflow {
namespace {

namespace fs = std::filesystem;

const char* const kWebCopy = "web/src/api/vocabulary.ts";

template <typename Table, typename Keep>
std::string quoted_names(const Table& table, Keep keep) {
    std::string list;
    for (const auto& row : table) {
        if (!keep(row)) continue;
        if (!list.empty()) list += ", ";
        list += std::string("'") + row.name + "'";
    }
    return "[" + list + "]";
}

std::string event_type_line(const EventTypeInfo& e) {
    std::string line = std::string("  '") + e.name + "': { scope: '" +
                       (e.execution_state ? "execution" : "step") + "'";
    if (e.execution_state)
        line += std::string(", renderState: '") + state_name(*e.execution_state) + "'";
    if (e.step_state) line += std::string(", stepState: '") + state_name(*e.step_state) + "'";
    return line + " },\n";
}

std::string typescript_vocabulary() {
    const auto all = [](const auto&) { return true; };
    std::ostringstream ts;
    ts << "// Generated from the tables of src/workflow/vocabulary.hpp: do not edit. The unit "
          "test\n"
          "// WorkflowVocabulary.WebCopyMatchesTheTables fails when this file differs from what\n"
          "// the tables make, and writes the fresh one (its message names the copy command).\n\n"
          "export const RENDER_STATES = "
       << quoted_names(kExecutionStates, all)
       << " as const;\n"
          "export type RenderState = (typeof RENDER_STATES)[number];\n"
          "/** Nothing more happens to a render in these. */\n"
          "export const FINISHED_RENDER_STATES: readonly RenderState[] = "
       << quoted_names(kExecutionStates, [](const ExecutionStateInfo& s) { return !s.unfinished; })
       << ";\n\n"
          "export const STEP_STATES = "
       << quoted_names(kStepStates, all)
       << " as const;\n"
          "export type StepState = (typeof STEP_STATES)[number];\n"
          "/** Nothing moves a step on from these. */\n"
          "export const FINISHED_STEP_STATES: readonly StepState[] = "
       << quoted_names(kStepStates, [](const StepStateInfo& s) { return s.terminal; })
       << ";\n"
          "/** A step in these has its output, for the steps that need it. */\n"
          "export const STEP_STATES_WITH_OUTPUT: readonly StepState[] = "
       << quoted_names(kStepStates, [](const StepStateInfo& s) { return s.has_output; })
       << ";\n\n"
          "export const STEP_KINDS = "
       << quoted_names(kStepKinds, all)
       << " as const;\n"
          "export type StepKind = (typeof STEP_KINDS)[number];\n"
          "/** The kind a step's `kind` names; undefined for a kind of a newer server. */\n"
          "export const stepKindOf = (kind: string): StepKind | undefined => "
          "STEP_KINDS.find((k) => k === kind);\n\n"
          "export interface EventTypeInfo {\n"
          "  scope: 'execution' | 'step';\n"
          "  /** The state the event records the move to; none for progress, checkpoints and\n"
          "   * expired leases (a retry or failure follows as its own event). */\n"
          "  renderState?: RenderState;\n"
          "  stepState?: StepState;\n"
          "}\n\n"
          "/** Every event type, by the name events carry. */\n"
          "export const EVENT_TYPES: Readonly<Record<string, EventTypeInfo | undefined>> = {\n";
    for (const auto& e : kEventTypes) ts << event_type_line(e);
    ts << "};\n";
    return ts.str();
}

// The checkout: the folder above the build that holds the web app.
fs::path source_root() {
    for (auto dir = fs::path(KOMPO_BIN).parent_path(); !dir.empty(); dir = dir.parent_path()) {
        if (fs::exists(dir / kWebCopy)) return dir;
        if (dir == dir.root_path()) break;
    }
    return {};
}

TEST(WorkflowVocabulary, WebCopyMatchesTheTables) {
    const auto root = source_root();
    ASSERT_FALSE(root.empty()) << kWebCopy << " not found above " << KOMPO_BIN;
    const auto expected = typescript_vocabulary();
    if (test::file_bytes(root / kWebCopy) == expected) return;
    const auto fresh = test::scratch_dir() / "vocabulary.ts";
    std::ofstream(fresh, std::ios::binary) << expected;
    ADD_FAILURE() << kWebCopy << " is not what src/workflow/vocabulary.hpp generates; update it:\n"
                  << "  cp " << fresh.string() << " " << (root / kWebCopy).string();
}

template <typename Table>
void expect_one_row_and_name_each(const Table& table, std::size_t values) {
    std::set<std::string> names;
    for (const auto& row : table) names.insert(row.name);
    EXPECT_EQ(table.size(), values);
    EXPECT_EQ(names.size(), table.size());
}

TEST(WorkflowVocabulary, EveryValueHasOneRowAndANameThatReadsBack) {
    expect_one_row_and_name_each(kExecutionStates, 5);
    expect_one_row_and_name_each(kStepStates, 8);
    expect_one_row_and_name_each(kEventTypes, 17);
    expect_one_row_and_name_each(kStepKinds, 7);
    for (const auto& s : kExecutionStates) EXPECT_EQ(execution_state_from(s.name), s.state);
    for (const auto& s : kStepStates) EXPECT_EQ(step_state_from(s.name), s.state);
    for (const auto& e : kEventTypes) EXPECT_EQ(event_type_from(e.name), e.type);
    for (const auto& k : kStepKinds) EXPECT_EQ(step_kind_from(k.name), k.kind);
    EXPECT_THROW(step_state_from("paused"), Error);
    EXPECT_THROW(event_type_from("step.paused"), Error);
    EXPECT_THROW(step_kind_from("thumbnail"), Error);
}

TEST(WorkflowVocabulary, ClaimRuleAndUnfinishedStatesComeFromTheTables) {
    const auto& rule = claim_rule();
    EXPECT_EQ(rule.executions,
              (std::vector<ExecutionState>{ExecutionState::queued, ExecutionState::running}));
    EXPECT_EQ(rule.now, std::vector<StepState>{StepState::ready});
    EXPECT_EQ(rule.after_backoff, std::vector<StepState>{StepState::retrying});
    EXPECT_EQ(rule.after_lease_expiry, std::vector<StepState>{StepState::running});
    EXPECT_EQ(unfinished_states(), rule.executions);
    EXPECT_TRUE(ends_execution(EventType::execution_cancelled));
    EXPECT_FALSE(ends_execution(EventType::execution_running));
    EXPECT_FALSE(ends_execution(EventType::step_failed));
}

TEST(WorkflowVocabulary, EveryTransitionIsRecordedAsAnEventOfItsScopeAndTargetState) {
    for (const auto event :
         {StepEvent::needs_done, StepEvent::claimed, StepEvent::found_in_cache,
          StepEvent::succeeded, StepEvent::failed_transient, StepEvent::failed_permanent,
          StepEvent::released, StepEvent::cancelled}) {
        const auto& recorded = info(event_type(event));
        ASSERT_TRUE(recorded.step_state.has_value()) << recorded.name;
        for (const auto& from : kStepStates) {
            if (const auto to = next_state(from.state, event)) {
                EXPECT_EQ(*recorded.step_state, *to) << recorded.name;
            }
        }
    }
    for (const auto event : {ExecutionEvent::started, ExecutionEvent::succeeded,
                             ExecutionEvent::failed, ExecutionEvent::cancelled}) {
        const auto& recorded = info(event_type(event));
        ASSERT_TRUE(recorded.execution_state.has_value()) << recorded.name;
        EXPECT_EQ(next_state(ExecutionState::queued, event), recorded.execution_state)
            << recorded.name;
    }
}

}  // namespace
}  // namespace kompo::workflow
