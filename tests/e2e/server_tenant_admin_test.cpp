// What a tenant's admin may do, and what it may not learn or touch, against a real
// `kompo serve`: user names of other tenants stay unknown, disabling a member reaches
// only the admin's own tenant, /metrics and worker tokens are the platform operator's;
// behind a trusted proxy the client's own address is limited and audited; abandoned
// uploads expire and replaced media are recorded in the audit log.
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "e2e/security_support.hpp"
#include "e2e/server_support.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;

json new_user(const std::string& name, const std::string& role = "viewer") {
    return {{"name", name}, {"password", "a-password-long-enough"}, {"role", role}};
}

// The audit entries of the caller's tenant with this action.
std::vector<json> audited(int port, const std::string& action, const HttpHeaders& as = {}) {
    std::vector<json> found;
    // Kept in a variable: a temporary's member in a range-for dies before the loop (C++20).
    const auto page = http_get(port, "/api/v1/audit?limit=500", as).json();
    for (const auto& entry : page["items"]) {
        if (entry["action"] == action) found.push_back(entry);
    }
    return found;
}

class ServerTenantAdmin : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "0"});
        rival = add_account(dir / "data", "mallory", "admin", "rival");
    }
    int port() const { return server->port(); }

    fs::path dir;
    std::optional<ServerProcess> server;
    Account rival;
};

// User names sign in, so they are unique platform-wide; the names a tenant admin gives
// live in the tenant's own namespace ("<name>@<tenant>"), so whether one is taken tells
// them only about their own tenant.
TEST_F(ServerTenantAdmin, UserNamesOfOtherTenantsCannotBeFoundOut) {
    const auto made = http_post_json(port(), "/api/v1/users", new_user("olga"));
    ASSERT_EQ(made.status, 201) << made.body;
    EXPECT_EQ(made.json()["name"], "olga@default");
    // The rival's admin asks for the same names: new users of its own, never a 409.
    for (const std::string name : {"olga", "admin", "olga@default"}) {
        const auto theirs =
            http_post_json(port(), "/api/v1/users", new_user(name), bearer(rival.token));
        EXPECT_EQ(theirs.status, 201) << name << ": " << theirs.body;
        EXPECT_EQ(theirs.json()["name"], name + "@rival");
    }
    // Its own names conflict, as they should.
    const auto again =
        http_post_json(port(), "/api/v1/users", new_user("olga"), bearer(rival.token));
    EXPECT_EQ(again.status, 409) << again.body;
    // The user signs in with the name they were given.
    const auto login =
        http_post_json(port(), "/api/v1/auth/login",
                       {{"username", "olga@rival"}, {"password", "a-password-long-enough"}},
                       {{"Authorization", ""}});
    EXPECT_EQ(login.status, 200) << login.body;
    EXPECT_EQ(login.json()["user"]["tenant"], "rival");
    // The operator cannot put a user of rival's namespace into another tenant either.
    const auto cli = kompo(
        {"user", "add", "eve@rival", "--tenant", "default", "--data-dir", (dir / "data").string()});
    EXPECT_NE(cli.exit_code, 0);
    EXPECT_NE(cli.err.find("name: \"eve@rival\" ends in @rival"), std::string::npos) << cli.err;
}

TEST_F(ServerTenantAdmin, DisablingAMemberSignsThemOutOfThatTenantOnly) {
    const auto data = (dir / "data").string();
    const auto both = add_account(dir / "data", "sam", "editor", "default");
    ASSERT_EQ(
        kompo({"user", "grant", "sam", "--tenant", "rival", "--role", "viewer", "--data-dir", data})
            .exit_code,
        0);
    const auto in_rival = new_token(dir / "data", "sam", "rival");
    ASSERT_EQ(http_get(port(), "/api/v1/auth/me", bearer(in_rival)).status, 200);

    const auto disabled = http_request(port(), "PATCH", "/api/v1/users/sam",
                                       json{{"disabled", true}}.dump(), bearer(rival.token));
    ASSERT_EQ(disabled.status, 200) << disabled.body;
    EXPECT_EQ(disabled.json()["disabled"], true);
    // Out of rival: its token is revoked, and a sign-in there is refused.
    EXPECT_EQ(http_get(port(), "/api/v1/auth/me", bearer(in_rival)).status, 401);
    const auto to_rival =
        http_post_json(port(), "/api/v1/auth/login",
                       {{"username", "sam"}, {"password", both.password}, {"tenant", "rival"}},
                       {{"Authorization", ""}});
    EXPECT_EQ(to_rival.status, 401) << to_rival.body;
    // Still in default, where nobody disabled them.
    EXPECT_EQ(http_get(port(), "/api/v1/auth/me", bearer(both.token)).status, 200);
    const auto to_default =
        http_post_json(port(), "/api/v1/auth/login",
                       {{"username", "sam"}, {"password", both.password}}, {{"Authorization", ""}});
    ASSERT_EQ(to_default.status, 200) << to_default.body;
    EXPECT_EQ(to_default.json()["user"]["tenant"], "default");
    const auto users = http_get(port(), "/api/v1/users").json();
    for (const auto& user : users["items"]) {
        if (user["name"] == "sam") {
            EXPECT_EQ(user["disabled"], false) << user.dump();
        }
    }
    // A new role keeps them disabled; enabling lets them in again with a new token.
    const auto role = http_request(port(), "PATCH", "/api/v1/users/sam",
                                   json{{"role", "editor"}}.dump(), bearer(rival.token));
    EXPECT_EQ(role.json()["disabled"], true) << role.body;
    EXPECT_NE(
        kompo({"token", "add", "--user", "sam", "--tenant", "rival", "--data-dir", data}).exit_code,
        0);
    ASSERT_EQ(http_request(port(), "PATCH", "/api/v1/users/sam", json{{"disabled", false}}.dump(),
                           bearer(rival.token))
                  .status,
              200);
    const auto back =
        http_get(port(), "/api/v1/auth/me", bearer(new_token(dir / "data", "sam", "rival")));
    ASSERT_EQ(back.status, 200) << back.body;
    EXPECT_EQ(back.json()["user"]["role"], "editor");
    EXPECT_EQ(http_get(port(), "/api/v1/auth/me", bearer(in_rival)).status, 401);  // stays revoked
}

// /metrics spans every tenant: only the platform operator (a role only the command line
// gives) and their worker tokens read it; a tenant admin can neither read it nor make
// the tokens or the role that could.
TEST_F(ServerTenantAdmin, MetricsAndWorkerTokensAreThePlatformOperatorsOnly) {
    const auto ops = add_account(dir / "data", "ops", "operator", "default");
    const auto scraped = http_get(port(), "/metrics", bearer(ops.token));
    EXPECT_EQ(scraped.status, 200);
    EXPECT_NE(scraped.body.find("kompo_queue_depth"), std::string::npos);
    const auto worker =
        http_post_json(port(), "/api/v1/auth/tokens", {{"kind", "worker"}, {"label", "prometheus"}},
                       bearer(ops.token));
    ASSERT_EQ(worker.status, 201) << worker.body;
    const auto as_worker = bearer(worker.json()["token"]);
    EXPECT_EQ(http_get(port(), "/metrics", as_worker).status, 200);
    EXPECT_EQ(http_get(port(), "/api/v1/kompositions", as_worker).status, 403);

    for (const auto& admin : {HttpHeaders{}, bearer(rival.token)}) {  // default's and rival's
        const auto refused = http_get(port(), "/metrics", admin);
        EXPECT_EQ(refused.status, 403);
        EXPECT_EQ(refused.json()["permission"], "operate");
        const auto token =
            http_post_json(port(), "/api/v1/auth/tokens", {{"kind", "worker"}}, admin);
        EXPECT_EQ(token.status, 403) << token.body;
        EXPECT_EQ(token.json()["permission"], "operate");
        const auto promoted =
            http_post_json(port(), "/api/v1/users", new_user("boss", "operator"), admin);
        EXPECT_EQ(promoted.status, 403) << promoted.body;
        EXPECT_EQ(promoted.json()["permission"], "operate");
    }
    // Nor change or disable an operator who is a member of their tenant.
    const auto demoted =
        http_request(port(), "PATCH", "/api/v1/users/ops", json{{"disabled", true}}.dump());
    EXPECT_EQ(demoted.status, 403) << demoted.body;
    EXPECT_EQ(http_get(port(), "/metrics", bearer(ops.token)).status, 200);
}

// Behind a reverse proxy every request comes from the proxy's address: with it trusted,
// X-Forwarded-For names the client, for the per-address login limit, the access log
// and the audit log; a client that is not a trusted proxy cannot claim another address.
TEST_F(ServerTenantAdmin, TrustedProxiesNameTheClientForLimitsAndTheAuditLog) {
    server.reset();
    server.emplace(dir / "data", std::vector<std::string>{"--workers", "0"},
                   std::map<std::string, std::string>{
                       {"KOMPO_SERVER_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"},
                       {"KOMPO_AUTH_LOGIN_PER_MINUTE", "2"},
                       {"KOMPO_AUTH_LOCKOUT_AFTER_FAILURES", "100"}});
    const auto login_from = [&](const std::string& forwarded) {
        return http_post_json(port(), "/api/v1/auth/login",
                              {{"username", "admin"}, {"password", "wrong-password-x"}},
                              {{"Authorization", ""}, {"X-Forwarded-For", forwarded}})
            .status;
    };
    // Two attempts each from two clients behind the proxy: neither limits the other.
    EXPECT_EQ(login_from("203.0.113.7"), 401);
    EXPECT_EQ(login_from("198.51.100.9, 10.1.2.3"), 401);  // through a second proxy of ours
    EXPECT_EQ(login_from("203.0.113.7"), 401);
    EXPECT_EQ(login_from("198.51.100.9"), 401);
    EXPECT_EQ(login_from("203.0.113.7"), 429);
    EXPECT_EQ(login_from("192.0.2.1"), 401);
    std::multiset<std::string> remotes;
    for (const auto& entry : audited(port(), "login")) remotes.insert(entry["remote"]);
    EXPECT_EQ(remotes, (std::multiset<std::string>{"192.0.2.1", "198.51.100.9", "198.51.100.9",
                                                   "203.0.113.7", "203.0.113.7"}));
    // The access line is written after the answer is sent: wait for it.
    EXPECT_TRUE(server->wait_for_log(
        [](const std::string& line) {
            return line.find("\"192.0.2.1\"") != std::string::npos &&
                   line.find("/api/v1/auth/login") != std::string::npos;
        },
        std::chrono::seconds(30)))
        << "the access log shows the proxy, not the client";

    // Without trusted proxies, the header is the client's word and counts for nothing.
    server.reset();
    server.emplace(
        dir / "data", std::vector<std::string>{"--workers", "0"},
        std::map<std::string, std::string>{{"KOMPO_AUTH_LOGIN_PER_MINUTE", "2"},
                                           {"KOMPO_AUTH_LOCKOUT_AFTER_FAILURES", "100"}});
    EXPECT_EQ(login_from("203.0.113.50"), 401);
    EXPECT_EQ(login_from("203.0.113.51"), 401);
    EXPECT_EQ(login_from("203.0.113.52"), 429);  // all from 127.0.0.1
    EXPECT_EQ(audited(port(), "login").back()["remote"], "127.0.0.1");
}

// An upload nobody finishes goes after a day without a chunk, and the tenant's audit log
// says so; replacing a medium (?replace=true, whole or resumable) is recorded with the
// revision it replaced.
TEST_F(ServerTenantAdmin, AbandonedUploadsExpireAndReplacementsAreAudited) {
    const auto abandoned =
        http_post_json(port(), "/api/v1/uploads", {{"name", "left.mp4"}, {"size", 1000}});
    ASSERT_EQ(abandoned.status, 201) << abandoned.body;
    const std::string id = abandoned.json()["id"];
    // Its last chunk came two days ago (the files' times are what the sweep reads).
    const auto partial = dir / "data" / "uploads" / "partial" / "default";
    for (const auto& entry : fs::directory_iterator(partial)) {
        fs::last_write_time(entry.path(),
                            fs::file_time_type::clock::now() - std::chrono::hours(48));
    }
    // The next announcement sweeps (as does the server's start, and an hourly timer).
    ASSERT_EQ(
        http_post_json(port(), "/api/v1/uploads", {{"name", "next.mp4"}, {"size", 10}}).status,
        201);
    EXPECT_EQ(http_get(port(), "/api/v1/uploads/" + id).status, 404);
    const auto expired = audited(port(), "upload.expire");
    ASSERT_EQ(expired.size(), 1u);
    EXPECT_EQ(expired[0]["actor"], "system");
    EXPECT_EQ(expired[0]["target"], id);
    EXPECT_EQ(expired[0]["detail"]["name"], "left.mp4");
    EXPECT_EQ(expired[0]["detail"]["received"], 0);
    // Nothing of it is left on disk.
    EXPECT_FALSE(fs::exists(partial / id));
    EXPECT_FALSE(fs::exists(partial / (id + ".json")));
    EXPECT_TRUE(audited(port(), "upload.expire", bearer(rival.token)).empty());

    make_colour_clip(dir / "a.mp4", "red", 1, 64, 36);
    make_colour_clip(dir / "b.mp4", "blue", 1, 64, 36);
    const auto first = http_upload_file(port(), "/api/v1/media?name=clip.mp4", dir / "a.mp4");
    ASSERT_EQ(first.status, 201) << first.body;
    const auto second =
        http_upload_file(port(), "/api/v1/media?name=clip.mp4&replace=true", dir / "b.mp4");
    ASSERT_EQ(second.status, 201) << second.body;
    auto replaced = audited(port(), "media.replace");
    ASSERT_EQ(replaced.size(), 1u);
    EXPECT_EQ(replaced[0]["target"], "clip.mp4 " + first.json()["_rev"].get<std::string>());
    EXPECT_EQ(replaced[0]["actor"], "admin");
    // Resumable, in one chunk.
    const auto size = fs::file_size(dir / "a.mp4");
    const auto resumable = http_post_json(
        port(), "/api/v1/uploads", {{"name", "clip.mp4"}, {"size", size}, {"replace", true}});
    ASSERT_EQ(resumable.status, 201) << resumable.body;
    const auto done = http_upload_file(
        port(), "/api/v1/uploads/" + resumable.json()["id"].get<std::string>(), dir / "a.mp4",
        {{"Content-Range", "bytes 0-" + std::to_string(size - 1) + "/" + std::to_string(size)}},
        "PUT");
    ASSERT_EQ(done.status, 201) << done.body;
    replaced = audited(port(), "media.replace");
    ASSERT_EQ(replaced.size(), 2u);
    EXPECT_EQ(replaced[1]["target"], "clip.mp4 " + second.json()["_rev"].get<std::string>());
}

}  // namespace
}  // namespace kompo::test
