// 50 concurrent clients against one real server: every komposition stored, every render
// completed, and no update lost when all of them edit one document.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "e2e/server_support.hpp"
#include "support/http_client.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

constexpr int kClients = 50;

json komposition(const std::string& id, int to_beat) {
    auto document = clip_komposition(id, {{"A", 0, 8}}, 160, 90);
    document["counter"] = 0;
    document["beatpattern"] = {{"frombeat", 0}, {"tobeat", to_beat}, {"masterbpm", 0}};
    return document;
}

TEST(ServerConcurrency, FiftyClientsCreateAndRenderWithoutErrors) {
    const auto data = scratch_dir() / "data";
    fs::create_directories(data / "media" / "default");
    make_colour_clip(data / "media" / "default" / "clip.mp4", "green", 5, 160, 90);
    // 50 clients of one user: its rate limit is not what this test is about.
    ServerProcess server(data, {"--workers", "2"}, {{"KOMPO_AUTH_API_PER_SECOND", "100000"}});
    std::vector<std::string> renders(kClients);
    std::vector<std::string> failures(kClients);
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.emplace_back([&, i] {
            try {
                HttpConnection connection(server.port());
                const auto id = "k" + std::to_string(i);
                // Beats 2..8: seven different renders, many sharing pieces.
                const auto created = connection.request("POST", "/api/v1/kompositions",
                                                        komposition(id, 2 + i % 7).dump());
                if (created.status != 201) throw std::runtime_error("create: " + created.body);
                const auto started =
                    connection.request("POST", "/api/v1/renders", json{{"komposition", id}}.dump());
                if (started.status != 202) throw std::runtime_error("render: " + started.body);
                renders[i] = started.json()["id"];
                const auto ended = wait_for_render(server.port(), renders[i]);
                if (ended["state"] != "succeeded") throw std::runtime_error(ended.dump());
            } catch (const std::exception& e) {
                failures[i] = e.what();
            }
        });
    }
    for (auto& client : clients) client.join();
    for (int i = 0; i < kClients; ++i) EXPECT_EQ(failures[i], "") << "client " << i;
    const auto listed = http_get(server.port(), "/api/v1/kompositions?limit=500").json()["items"];
    EXPECT_EQ(listed.size(), static_cast<std::size_t>(kClients));
    const auto done = http_get(server.port(), "/api/v1/renders?state=succeeded&limit=500").json();
    EXPECT_EQ(done["items"].size(), static_cast<std::size_t>(kClients));
}

TEST(ServerConcurrency, FiftyClientsEditingOneDocumentLoseNoUpdate) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"},
                         {{"KOMPO_AUTH_API_PER_SECOND", "100000"}});
    ASSERT_EQ(
        http_post_json(server.port(), "/api/v1/kompositions", komposition("shared", 8)).status,
        201);
    std::atomic<int> conflicts{0};
    std::vector<std::string> failures(kClients);
    std::vector<std::thread> clients;
    for (int i = 0; i < kClients; ++i) {
        clients.emplace_back([&, i] {
            try {
                HttpConnection connection(server.port());
                // Read, increment, write with If-Match; on 412 read again (what an editor does).
                for (int attempt = 0; attempt < 500; ++attempt) {
                    const auto read = connection.request("GET", "/api/v1/kompositions/shared");
                    auto document = read.json();
                    document["counter"] = document["counter"].get<int>() + 1;
                    const auto written =
                        connection.request("PUT", "/api/v1/kompositions/shared", document.dump(),
                                           {{"If-Match", read.header("etag")}});
                    if (written.status == 200) return;
                    if (written.status != 412) throw std::runtime_error(written.body);
                    ++conflicts;
                }
                throw std::runtime_error("no write after 500 attempts");
            } catch (const std::exception& e) {
                failures[i] = e.what();
            }
        });
    }
    for (auto& client : clients) client.join();
    for (int i = 0; i < kClients; ++i) EXPECT_EQ(failures[i], "") << "client " << i;
    const auto final = http_get(server.port(), "/api/v1/kompositions/shared").json();
    EXPECT_EQ(final["counter"], kClients);  // every increment kept
    EXPECT_EQ(final["_rev"].get<std::string>().substr(0, 3), "51-");
    RecordProperty("conflicts", conflicts.load());
}

}  // namespace
}  // namespace kompo::test
