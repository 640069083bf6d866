// The query KEDA scales the worker pools on (deploy/queue-demand.sql), run on a real
// PostgreSQL against the store's own `executions` and `steps` tables (made by
// src/store/migrations.cpp; times in epoch milliseconds).
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "core/clock.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"

namespace kompo::test {
namespace {

std::string queue_demand_query() {
    std::ifstream in(std::string(KOMPO_SOURCE_DIR) + "/deploy/queue-demand.sql");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

TEST(QueueDemand, CountsClaimableAndRunningStepsOfLiveExecutions) {
    PostgresServer server;
    const auto url = server.create_database("queue");
    const auto store = store::open_store(url);  // the tables, as the platform makes them
    const Millis now = now_millis();
    store->write([&](workflow::WorkflowRows& rows) {
        using workflow::ExecutionState;
        for (const auto& [id, state] : {std::pair{"live", ExecutionState::running},
                                        {"queued", ExecutionState::queued},
                                        {"gone", ExecutionState::cancelled},
                                        {"done", ExecutionState::succeeded}}) {
            workflow::Execution e;
            e.id = id;
            e.state = state;
            rows.insert_execution(e);
        }
        const auto step = [&](const char* execution, const char* name, workflow::StepState state,
                              Millis not_before = 0) {
            workflow::Step s;
            s.execution_id = execution;
            s.name = name;
            s.state = state;
            s.not_before = not_before;
            rows.insert_step(s);
        };
        using S = workflow::StepState;
        // Wanted: 2 ready, 1 running and 1 retry whose pause is over (live), 1 ready (queued).
        step("live", "segment-1", S::ready);
        step("live", "segment-2", S::ready);
        step("live", "segment-3", S::running);
        step("live", "segment-4", S::retrying, now - 1000);
        step("queued", "probe", S::ready);
        // Not wanted: a retry still pausing, waiting and finished steps, ended executions.
        step("live", "segment-5", S::retrying, now + 60'000);
        step("live", "join", S::waiting);
        step("live", "probe", S::succeeded);
        step("live", "plan", S::cached);
        step("gone", "segment-1", S::ready);
        step("gone", "segment-2", S::running);
        step("done", "mux", S::succeeded);
    });

    pqxx::connection connection(url);
    pqxx::work tx(connection);
    EXPECT_EQ(tx.exec1(queue_demand_query())[0].as<long>(), 5);

    tx.exec0("UPDATE steps SET state = 'succeeded' WHERE name = 'segment-3'");
    tx.exec0("UPDATE executions SET state = 'cancelled' WHERE id = 'queued'");
    EXPECT_EQ(tx.exec1(queue_demand_query())[0].as<long>(), 3);
}

}  // namespace
}  // namespace kompo::test
