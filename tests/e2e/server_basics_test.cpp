// `kompo serve` as a process: health, readiness, errors as JSON, limits, graceful stop.
#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

TEST(ServerBasics, AnswersHealthAndReadinessAndStopsCleanlyOnSigterm) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    const auto health = http_get(server.port(), "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json()["status"], "ok");
    EXPECT_FALSE(health.header("x-request-id").empty());
    const auto ready = http_get(server.port(), "/readyz");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(ready.json()["status"], "ready");
    const auto api = http_get(server.port(), "/api/v1/openapi.json");
    EXPECT_EQ(api.status, 200);
    EXPECT_EQ(api.json()["openapi"], "3.1.0");
    EXPECT_EQ(server.stop(), 0);
    EXPECT_NE(server.log().find("\"msg\":\"stopped\""), std::string::npos) << server.log();
}

// SIGTERM while a request is half sent: the server stops accepting, lets that request
// finish and answers it, then exits cleanly.
TEST(ServerBasics, ARequestUnderWayWhenStoppedIsFinishedAndAnswered) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    const auto body = clip_komposition("late", {{"A", 0, 4}}).dump();
    const auto half = body.size() / 2;
    RawConnection client(server.port());
    // With "Expect: 100-continue" the server says when it has read the header and waits
    // for the body: the request is under way, deterministically, before the SIGTERM.
    ASSERT_TRUE(
        client.send("POST /api/v1/kompositions HTTP/1.1\r\nHost: x\r\n"
                    "Authorization: Bearer " +
                    server.admin_token() +
                    "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                    "Content-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n"));
    ASSERT_TRUE(client.wait_received("100 Continue", std::chrono::seconds(10)));
    ASSERT_TRUE(client.send(body.substr(0, half)));
    server.signal(SIGTERM);
    ASSERT_TRUE(server.wait_for_log(
        [](const std::string& line) {
            return line.find("\"msg\":\"stopping\"") != std::string::npos &&
                   line.find("\"open_connections\":1") != std::string::npos;
        },
        std::chrono::seconds(10)))
        << server.log();
    ASSERT_TRUE(client.send(body.substr(half)));
    EXPECT_TRUE(client.wait_closed(std::chrono::seconds(20)));
    EXPECT_NE(client.received().find("\r\n\r\nHTTP/1.1 201 Created\r\n"), std::string::npos)
        << client.received();
    EXPECT_EQ(server.wait_exit(std::chrono::seconds(30)), 0);
    EXPECT_NE(server.log().find("\"drained\":true"), std::string::npos) << server.log();
}

TEST(ServerBasics, UnknownPathsAndMethodsAreJsonErrors) {
    // Without a web app: with one, a path outside /api/ is the app's page.
    ServerProcess server(scratch_dir() / "data", {"--workers", "0", "--web-root", "none"});
    const auto missing = http_get(server.port(), "/no/such/thing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json()["error"], "not_found");
    const auto wrong_method = http_request(server.port(), "POST", "/healthz", "{}");
    EXPECT_EQ(wrong_method.status, 405);
    EXPECT_EQ(wrong_method.json()["error"], "method_not_allowed");
}

TEST(ServerBasics, KeepsTheClientsRequestIdInItsAnswerAndLog) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    const auto answer = http_get(server.port(), "/healthz", {{"X-Request-Id", "trace-42"}});
    EXPECT_EQ(answer.header("x-request-id"), "trace-42");
    EXPECT_TRUE(server.wait_for_log(
        [](const std::string& line) {
            return line.find("\"request_id\":\"trace-42\"") != std::string::npos &&
                   line.find("\"status\":200") != std::string::npos;
        },
        std::chrono::seconds(10)))
        << server.log();
}

TEST(ServerBasics, RefusesAnOversizedHeaderWith431) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    const auto answer =
        http_get(server.port(), "/healthz", {{"X-Padding", std::string(40 * 1024, 'a')}});
    EXPECT_EQ(answer.status, 431);
    EXPECT_EQ(answer.json()["error"], "header_too_large");
}

TEST(ServerBasics, ClosesAConnectionThatNeverFinishesItsHeader) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"},
                         {{"KOMPO_SERVER_REQUEST_TIMEOUT_SECONDS", "1"}});
    EXPECT_TRUE(server_closes_within(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n",
                                     std::chrono::seconds(20)));
    // The server still answers others.
    EXPECT_EQ(http_get(server.port(), "/healthz").status, 200);
}

TEST(ServerBasics, ConfigPrintsEachSettingWithWhereItCameFrom) {
    const auto dir = scratch_dir();
    std::ofstream(dir / "kompo.json") << R"({"server": {"port": 9001}, "workers.count": 2})";
    const auto result = run({"env", "KOMPO_SERVER_HOST=0.0.0.0", KOMPO_BIN, "config", "--config",
                             (dir / "kompo.json").string(), "--workers", "3"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const auto config = nlohmann::json::parse(result.out)["settings"];
    EXPECT_EQ(config["server.port"]["value"], 9001);
    EXPECT_EQ(config["server.port"]["from"], "file");
    EXPECT_EQ(config["server.host"]["value"], "0.0.0.0");
    EXPECT_EQ(config["server.host"]["from"], "environment");
    EXPECT_EQ(config["workers.count"]["value"], 3);
    EXPECT_EQ(config["workers.count"]["from"], "flag");
}

// A preemptible worker's grace defaults to 10 s (a GKE Spot pod gets about 15 s), unless
// set; the prices default to a preemptible slot at 30 % of a regular one.
TEST(ServerBasics, ConfigGivesPreemptibleWorkersAShortGraceAndPricesByClass) {
    auto settings = [](const std::vector<std::string>& environment) {
        std::vector<std::string> argv{"env"};
        argv.insert(argv.end(), environment.begin(), environment.end());
        argv.insert(argv.end(), {KOMPO_BIN, "config"});
        const auto result = run(argv);
        EXPECT_EQ(result.exit_code, 0) << result.err;
        return nlohmann::json::parse(result.out)["settings"];
    };
    const auto regular = settings({});
    EXPECT_EQ(regular["workers.grace_seconds"]["value"], 25);
    EXPECT_DOUBLE_EQ(regular["fleet.price_per_hour.preemptible"]["value"].get<double>(),
                     0.3 * regular["fleet.price_per_hour.regular"]["value"].get<double>());
    const auto preemptible = settings({"KOMPO_WORKERS_CLASS=preemptible"});
    EXPECT_EQ(preemptible["workers.grace_seconds"]["value"], 10);
    EXPECT_EQ(preemptible["workers.grace_seconds"]["from"], "default");
    const auto chosen =
        settings({"KOMPO_WORKERS_CLASS=preemptible", "KOMPO_WORKERS_GRACE_SECONDS=12"});
    EXPECT_EQ(chosen["workers.grace_seconds"]["value"], 12);

    const auto wrong = run({"env", "KOMPO_WORKERS_CLASS=spot", KOMPO_BIN, "config"});
    EXPECT_EQ(wrong.exit_code, 3);
    EXPECT_NE(wrong.err.find("workers.class: \"spot\""), std::string::npos) << wrong.err;
}

TEST(ServerBasics, ConfigRefusesABadValueNamingTheSetting) {
    const auto result = kompo({"config", "--port", "eighty"});
    EXPECT_EQ(result.exit_code, 3);
    EXPECT_NE(result.err.find("server.port"), std::string::npos) << result.err;
    const auto xml = kompo({"config", "--log-format", "xml"});
    EXPECT_EQ(xml.exit_code, 3);
    EXPECT_NE(xml.err.find("server.log_format: \"xml\" is not json or text"), std::string::npos)
        << xml.err;
}

}  // namespace
}  // namespace kompo::test
