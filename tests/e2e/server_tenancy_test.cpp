// Nobody sees or touches what is not theirs, checked route by route against a real
// `kompo serve`: every operation of the served OpenAPI document is tried by a user of
// another tenant (isolation matrix) and by each role (role matrix). The document is the
// route table (a unit test keeps them equal), so a new route is covered by being added.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include "server_support.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// A call made by the matrices: method, concrete target, and the operation's permission.
struct Operation {
    std::string method;
    std::string pattern;
    std::string target;
    std::string permission;
};

// What tenant "default" owns, made through the API by its admin.
struct Owned {
    std::string komposition = "k1";
    std::string medium = "clip.mp4";
    std::string render;
    std::string upload;
    std::string token_id;
};

std::string token_for(const std::filesystem::path& data, const std::string& user,
                      const std::string& role, const std::string& tenant) {
    const auto dir = data.string();
    const auto added =
        kompo({"user", "add", user, "--role", role, "--tenant", tenant, "--data-dir", dir});
    if (added.exit_code != 0) throw std::runtime_error("user add: " + added.err);
    const auto token =
        kompo({"token", "add", "--user", user, "--tenant", tenant, "--data-dir", dir});
    if (token.exit_code != 0) throw std::runtime_error("token add: " + token.err);
    return token.out.substr(0, token.out.find('\n'));
}

HttpHeaders bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

std::string concrete(std::string pattern, const Owned& owned) {
    const std::vector<std::pair<std::string, std::string>> by_prefix{
        {"/api/v1/kompositions/{id}", owned.komposition},
        {"/api/v1/renders/{id}", owned.render},
        {"/api/v1/media/{name}", owned.medium},
        {"/api/v1/uploads/{id}", owned.upload},
        {"/api/v1/auth/tokens/{id}", owned.token_id},
        {"/api/v1/users/{name}", "admin"},
        {"/heap/{id}", owned.komposition},
        {"/api/heap/{id}", owned.komposition},
        {"/meta/{id}", owned.komposition},
        {"/fetch/{id}/{format}", owned.komposition + "/mp4"},
    };
    for (const auto& [prefix, value] : by_prefix) {
        if (pattern.rfind(prefix, 0) != 0) continue;
        const auto first = prefix.find('{');
        return pattern.substr(0, first) + value + pattern.substr(prefix.size());
    }
    return pattern;
}

// Every documented operation but the live streams (tried with stream clients) and
// signing in and out (which change the caller's own credential, tested on their own).
std::vector<Operation> operations(int port, const Owned& owned) {
    const auto document = http_get(port, "/api/v1/openapi.json").json();
    std::vector<Operation> found;
    for (const auto& [pattern, item] : document["paths"].items()) {
        if (pattern.ends_with("/events") || pattern.rfind("/api/v1/auth/log", 0) == 0) continue;
        for (const auto& [method, operation] : item.items()) {
            std::string upper = method;
            for (auto& c : upper) c = static_cast<char>(std::toupper(c));
            found.push_back({upper, pattern, concrete(pattern, owned),
                             operation.value("x-permission", std::string("missing"))});
        }
    }
    // Reads first, PUTs last: a PUT of an id the caller lacks creates the caller's own
    // document of that id, which later reads would then rightly show.
    const auto rank = [](const Operation& op) {
        return op.method == "GET" ? 0 : op.method == "PUT" ? 2 : 1;
    };
    std::stable_sort(found.begin(), found.end(),
                     [&](const Operation& a, const Operation& b) { return rank(a) < rank(b); });
    return found;
}

// One body for every write: each route reads the members it knows.
std::string body_for(const Operation& op, const Owned& owned) {
    if (op.method == "GET" || op.method == "DELETE" || op.method == "HEAD") return "";
    auto body = clip_komposition("x1", {{"a", 0, 4}});
    body["komposition"] = owned.komposition;
    body["kompositions"] = {owned.komposition};
    body["name"] = "other.mp4";
    body["size"] = 10;
    body["label"] = "matrix";
    return body.dump();
}

class ServerTenancy : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        make_colour_clip(dir / "clip.mp4", "blue", 2, 160, 90);
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "1"});
        rival = token_for(dir / "data", "mallory", "admin", "rival");
        const auto p = server->port();
        ASSERT_EQ(http_upload_file(p, "/api/v1/media?name=clip.mp4", dir / "clip.mp4").status, 201);
        ASSERT_EQ(http_post_json(p, "/api/v1/kompositions",
                                 clip_komposition(owned.komposition, {{"a", 0, 4}}))
                      .status,
                  201);
        const auto started = http_post_json(p, "/api/v1/renders", {{"komposition", "k1"}});
        ASSERT_EQ(started.status, 202) << started.body;
        owned.render = started.json()["id"];
        ASSERT_EQ(wait_for_render(p, owned.render)["state"], "succeeded");
        const auto upload =
            http_post_json(p, "/api/v1/uploads", {{"name", "big.mp4"}, {"size", 1000}});
        ASSERT_EQ(upload.status, 201) << upload.body;
        owned.upload = upload.json()["id"];
        const auto token = http_post_json(p, "/api/v1/auth/tokens", {{"label", "kept"}});
        owned.token_id = token.json()["id"];
    }

    // What tenant "default" has, as its admin sees it.
    json snapshot() {
        const auto p = server->port();
        return {http_get(p, "/api/v1/kompositions/" + owned.komposition).header("ETag"),
                http_get(p, "/api/v1/media").json()["items"],
                http_get(p, "/api/v1/renders").json()["items"],
                http_get(p, "/api/v1/uploads/" + owned.upload).json(),
                http_get(p, "/api/v1/auth/tokens").json()["items"].size(),
                http_get(p, "/api/v1/users").json()["items"]};
    }

    std::filesystem::path dir;
    std::optional<ServerProcess> server;
    std::string rival;
    Owned owned;
};

bool mentions_owned(const std::string& body, const Owned& owned) {
    for (const auto& id : {owned.render, owned.upload, owned.token_id}) {
        if (body.find(id) != std::string::npos) return true;
    }
    return body.find("\"" + owned.komposition + "\"") != std::string::npos ||
           body.find("\"" + owned.medium + "\"") != std::string::npos;
}

TEST_F(ServerTenancy, AnotherTenantGetsNotFoundOrNothingOnEveryRouteAndChangesNothing) {
    const auto before = snapshot();
    const auto ops = operations(server->port(), owned);
    ASSERT_GT(ops.size(), 30u);
    for (const auto& op : ops) {
        const auto response =
            http_request(server->port(), op.method, op.target, body_for(op, owned), bearer(rival));
        const auto what = op.method + " " + op.target + " -> " + std::to_string(response.status) +
                          " " + response.body.substr(0, 300);
        // An error may repeat the id asked for; an answer with content must show nothing.
        if (op.method == "GET" && response.status < 300) {
            EXPECT_FALSE(mentions_owned(response.body, owned)) << what;
        }
        if (op.pattern.find('{') == std::string::npos) continue;
        if (op.method == "PUT") {
            // A PUT of an id the rival lacks creates the rival's own document (201); a 200
            // would mean it found tenant default's.
            EXPECT_NE(response.status, 200) << what;
        } else {
            EXPECT_TRUE(response.status == 404 || response.status == 403) << what;
        }
    }
    EXPECT_EQ(snapshot(), before);
    // Nothing of tenant default's files either: the medium and the video stay its own.
    EXPECT_EQ(http_get(server->port(), "/api/v1/media/clip.mp4/file").status, 200);
}

TEST_F(ServerTenancy, AnotherTenantCannotSubscribeToOrOverhearRenders) {
    const auto p = server->port();
    const auto target = "/api/v1/renders/" + owned.render + "/events";
    try {
        WsClient ws(p, target, bearer(rival));
        FAIL() << "WebSocket subscription to another tenant's render accepted";
    } catch (const HttpStatusError& refused) {
        EXPECT_EQ(refused.status, 404);
    }
    try {
        SseClient sse(p, target, bearer(rival));
        FAIL() << "SSE subscription to another tenant's render accepted";
    } catch (const HttpStatusError& refused) {
        EXPECT_EQ(refused.status, 404);
    }
    // The all-renders feed, replayed from the start, holds only the rival's own render.
    ASSERT_EQ(
        http_upload_file(p, "/api/v1/media?name=clip.mp4", dir / "clip.mp4", bearer(rival)).status,
        201);
    ASSERT_EQ(http_post_json(p, "/api/v1/kompositions", clip_komposition("r1", {{"a", 0, 2}}),
                             bearer(rival))
                  .status,
              201);
    const auto own = http_post_json(p, "/api/v1/renders", {{"komposition", "r1"}}, bearer(rival));
    ASSERT_EQ(own.status, 202);
    const std::string own_id = own.json()["id"];
    SseClient feed(p, "/api/v1/events?after=0", bearer(rival));
    std::set<std::string> seen;
    for (;;) {
        const auto event = feed.next(120s);
        ASSERT_TRUE(event.has_value()) << "the rival's render never finished";
        const auto data = json::parse(event->data);
        seen.insert(data.value("render", std::string()));
        if (data.value("render", std::string()) == own_id &&
            data.value("type", std::string()) == "execution.succeeded") {
            break;
        }
    }
    EXPECT_EQ(seen, std::set<std::string>{own_id});
}

std::vector<std::string> cached_kinds(int port, const std::string& render,
                                      const HttpHeaders& headers) {
    std::vector<std::string> kinds;
    const auto answer = http_get(port, "/api/v1/renders/" + render, headers).json();
    for (const auto& step : answer["steps"]) {
        if (step["state"] == "cached") kinds.push_back(step["kind"]);
    }
    return kinds;
}

// Rendered pieces are found by content key only (the piece and its sources' content
// hashes, never their names): the rival's render of a komposition identical to the
// owner's, over a different clip of the same name, reuses nothing made from the owner's
// media and yields its own video, so the cache tells no tenant what another's media holds.
// Only the soundtrack is shared: neither komposition has a song, and silence is the same
// for everyone.
TEST_F(ServerTenancy, AnotherTenantsSameNamedRenderReusesNothingOfTheOwners) {
    const auto p = server->port();
    const auto as_rival = bearer(rival);
    make_colour_clip(dir / "other.mp4", "red", 2, 160, 90);
    ASSERT_EQ(
        http_upload_file(p, "/api/v1/media?name=clip.mp4", dir / "other.mp4", as_rival).status,
        201);
    ASSERT_EQ(http_post_json(p, "/api/v1/kompositions",
                             clip_komposition(owned.komposition, {{"a", 0, 4}}), as_rival)
                  .status,
              201);
    const auto different = http_post_json(p, "/api/v1/renders", {{"komposition", "k1"}}, as_rival);
    ASSERT_EQ(different.status, 202);
    const std::string different_id = different.json()["id"];
    ASSERT_EQ(wait_for_render(p, different_id, {"succeeded", "failed"}, 300s, as_rival)["state"],
              "succeeded");
    EXPECT_EQ(cached_kinds(p, different_id, as_rival), std::vector<std::string>{"sound"});
    const auto owners = http_get(p, "/api/v1/renders/" + owned.render + "/output");
    const auto theirs = http_get(p, "/api/v1/renders/" + different_id + "/output", as_rival);
    ASSERT_EQ(theirs.status, 200);
    EXPECT_NE(theirs.body, owners.body);
}

TEST_F(ServerTenancy, EachRoleMayDoWhatItsPermissionsAllowAndGets403NamingTheRest) {
    const std::vector<std::pair<std::string, std::set<std::string>>> roles{
        {"viewer", {"none", "read"}},
        {"editor", {"none", "read", "edit", "render"}},
        {"producer", {"none", "read", "edit", "render", "batch"}},
        {"admin", {"none", "read", "edit", "render", "batch", "admin", "operate"}},
    };
    const auto ops = operations(server->port(), owned);
    for (const auto& [role, allowed] : roles) {
        const auto token = token_for(dir / "data", "a-" + role, role, "default");
        for (const auto& op : ops) {
            ASSERT_NE(op.permission, "missing") << op.method << " " << op.pattern;
            const auto response = http_request(server->port(), op.method, op.target,
                                               body_for(op, owned), bearer(token));
            const auto what = role + ": " + op.method + " " + op.target + " -> " +
                              std::to_string(response.status) + " " + response.body.substr(0, 200);
            if (allowed.contains(op.permission)) {
                EXPECT_NE(response.status, 403) << what;
                EXPECT_NE(response.status, 401) << what;
            } else {
                EXPECT_EQ(response.status, 403) << what;
                EXPECT_EQ(response.json().value("permission", std::string()), op.permission)
                    << what;
            }
        }
    }
}

}  // namespace
}  // namespace kompo::test
