// The query KEDA scales the worker pools on (deploy/queue-demand.sql), run on a real
// PostgreSQL against the columns it reads of the store's `executions` and `steps` tables
// (src/store/migrations.cpp; times in epoch milliseconds). When the PostgreSQL store
// lands, its migrations replace the two CREATE TABLEs below.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

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
    pqxx::connection connection(server.url());
    pqxx::work tx(connection);
    tx.exec0(R"sql(
        CREATE TABLE executions (id TEXT PRIMARY KEY, state TEXT NOT NULL);
        CREATE TABLE steps (
            id BIGSERIAL PRIMARY KEY,
            execution_id TEXT NOT NULL REFERENCES executions (id),
            name TEXT NOT NULL,
            state TEXT NOT NULL,
            not_before BIGINT NOT NULL
        );
        INSERT INTO executions VALUES ('live', 'running'), ('queued', 'queued'),
                                      ('gone', 'cancelled'), ('done', 'succeeded');
    )sql");
    const auto step = [&tx](const std::string& execution, const std::string& name,
                            const std::string& state, const std::string& not_before = "0") {
        tx.exec0("INSERT INTO steps (execution_id, name, state, not_before) VALUES ('" + execution +
                 "', '" + name + "', '" + state + "', " + not_before + ")");
    };
    const std::string now_ms = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint";
    // Wanted: 2 ready, 1 running and 1 retry whose pause is over (live), 1 ready (queued).
    step("live", "segment-1", "ready");
    step("live", "segment-2", "ready");
    step("live", "segment-3", "running");
    step("live", "segment-4", "retrying", now_ms + " - 1000");
    step("queued", "probe", "ready");
    // Not wanted: a retry still pausing, waiting and finished steps, ended executions.
    step("live", "segment-5", "retrying", now_ms + " + 60000");
    step("live", "join", "waiting");
    step("live", "probe", "succeeded");
    step("live", "plan", "cached");
    step("gone", "segment-1", "ready");
    step("gone", "segment-2", "running");
    step("done", "mux", "succeeded");

    EXPECT_EQ(tx.exec1(queue_demand_query())[0].as<long>(), 5);

    tx.exec0("UPDATE steps SET state = 'succeeded' WHERE name = 'segment-3'");
    tx.exec0("UPDATE executions SET state = 'cancelled' WHERE id = 'queued'");
    EXPECT_EQ(tx.exec1(queue_demand_query())[0].as<long>(), 3);
}

}  // namespace
}  // namespace kompo::test
