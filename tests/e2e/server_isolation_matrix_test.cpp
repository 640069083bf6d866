// Nobody sees or touches what is not theirs, tried on every route of the server's own
// route table (tests/server_routes: undocumented routes included, a route added later is
// tried without anyone listing it) against a real `kompo serve`:
// - isolation: an admin of another tenant tries each route once, on the owner's ids; each
//   answer has its exact expected status and names nothing of the owner's (ids, names,
//   user names, file names, revisions, counts), and the owner's rows, files and artifacts
//   are byte-identical afterwards (read from the data folder, not through the API);
// - roles: each role tries each route on its own tenant's things: what its permissions
//   allow answers its exact success status, the rest 403 naming the permission.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>

#include "e2e/security_support.hpp"
#include "e2e/server_support.hpp"
#include "server_routes/route_table.hpp"
#include "support/support.hpp"
#include "support/tenant_snapshot.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

// The all-renders feed, replayed from the start, until a render of the caller's own ends
// (one over a missing file: it fails without touching the shared cache): every event it
// sent, whoever's, is in the answer's body.
Answer read_feed(int port, const Attempt& attempt) {
    SseClient feed(port, attempt.target, attempt.headers);
    auto sentinel = clip_komposition("rival-sentinel", {{"a", 0, 2}}, 320, 180, "missing.mp4");
    const auto made = http_post_json(port, "/api/v1/kompositions", sentinel, attempt.headers);
    const auto started = http_post_json(port, "/api/v1/renders",
                                        {{"komposition", "rival-sentinel"}}, attempt.headers);
    if (made.status != 201 || started.status != 202) {
        throw std::runtime_error("the rival's own render did not start: " + started.body);
    }
    const std::string own = started.json()["id"];
    Answer answer{200, ""};
    for (;;) {
        const auto event = feed.next(120s);
        if (!event) throw std::runtime_error("the rival's own render never ended");
        answer.body += event->data + "\n";
        const auto data = json::parse(event->data);
        const auto type = data.value("type", std::string());
        if (data.value("render", std::string()) == own && type.starts_with("execution.") &&
            type != "execution.started" && type != "execution.queued") {
            return answer;
        }
    }
}

// What tenant "default" owns, made through the API by its admin. The names are unusual
// on purpose: any answer to the rival that contains one of them leaked it.
struct Owned {
    std::string medium = "owner-clip-5e1.mp4";
    std::string komposition = "kowner-a17";  // rendered
    std::string heap_doc = "kowner-b28";
    std::string api_heap_doc = "kowner-c39";
    std::string posted_id = "kowner-d40";    // the rival posts a komposition of this id
    std::string chosen_name = "olga-owner";  // the name the owner's admin asked for
    std::string member;                      // the name it got
    std::string token_label = "owner-label-3f";
    std::string upload_name = "owner-upload-7c.mp4";
    std::string render;
    std::string upload;
    std::string token_id;
    std::string rev;
    std::vector<std::string> user_ids;

    std::vector<std::string> markers() const {
        std::vector<std::string> all{medium,    komposition, heap_doc,    api_heap_doc,
                                     posted_id, member,      token_label, upload_name,
                                     render,    upload,      token_id,    rev};
        all.insert(all.end(), user_ids.begin(), user_ids.end());
        return all;
    }
};

class ServerIsolation : public ::testing::Test {
  protected:
    void SetUp() override {
        dir = scratch_dir();
        web_root = dir / "web";
        fs::create_directories(web_root / "assets");
        std::ofstream(web_root / "index.html") << "<!doctype html><title>matrix</title>";
        std::ofstream(web_root / "assets" / "app.js") << "console.log('matrix')";
        make_colour_clip(dir / "clip.mp4", "blue", 2, 160, 90);
        server.emplace(dir / "data", std::vector<std::string>{"--workers", "1", "--config",
                                                              write_config().string()});
        rival = add_account(dir / "data", "mallory-rival", "admin", "rival");
        make_owned();
    }

    fs::path write_config() {
        const auto file = dir / "config.json";
        std::ofstream(file) << json{{"server", {{"web_root", web_root.string()}}}}.dump();
        return file;
    }

    void make_owned() {
        const auto p = server->port();
        ASSERT_EQ(
            http_upload_file(p, "/api/v1/media?name=" + owned.medium, dir / "clip.mp4").status,
            201);
        for (const auto& id : {owned.komposition, owned.heap_doc, owned.api_heap_doc}) {
            const auto made =
                http_post_json(p, "/api/v1/kompositions",
                               clip_komposition(id, {{"a", 0, 4}}, 320, 180, owned.medium));
            ASSERT_EQ(made.status, 201) << made.body;
            if (id == owned.komposition) owned.rev = made.json()["_rev"];
        }
        const auto started =
            http_post_json(p, "/api/v1/renders", {{"komposition", owned.komposition}});
        ASSERT_EQ(started.status, 202) << started.body;
        owned.render = started.json()["id"];
        ASSERT_EQ(wait_for_render(p, owned.render)["state"], "succeeded");
        const auto upload =
            http_post_json(p, "/api/v1/uploads", {{"name", owned.upload_name}, {"size", 1000}});
        ASSERT_EQ(upload.status, 201) << upload.body;
        owned.upload = upload.json()["id"];
        const auto token = http_post_json(p, "/api/v1/auth/tokens", {{"label", owned.token_label}});
        ASSERT_EQ(token.status, 201) << token.body;
        owned.token_id = token.json()["id"];
        const auto member = http_post_json(
            p, "/api/v1/users",
            {{"name", owned.chosen_name}, {"password", "owner-password-long"}, {"role", "editor"}});
        ASSERT_EQ(member.status, 201) << member.body;
        owned.member = member.json()["name"];
        const auto users = http_get(p, "/api/v1/users").json();
        for (const auto& user : users["items"]) {
            owned.user_ids.push_back(user["id"]);
        }
    }

    fs::path dir;
    fs::path web_root;
    std::optional<ServerProcess> server;
    Account rival;
    Owned owned;
};

// What the rival's attempt on each route must answer: its status, the permission a 403
// names, and whether the (rival's own) list it answers must be empty.
struct Expected {
    Expected(int status, std::string permission = "", bool empty_items = false)
        : status(status), permission(std::move(permission)), empty_items(empty_items) {}
    int status;
    std::string permission;
    bool empty_items;
};

const std::map<std::string, Expected>& rival_expectations() {
    static const std::map<std::string, Expected> expected{
        {"GET /healthz", {200}},
        {"GET /readyz", {200}},
        {"GET /metrics", {403, "operate"}},  // a tenant admin is no platform operator
        {"GET /api/v1/openapi.json", {200}},
        {"POST /api/v1/auth/login", {401}},  // into the owner's tenant
        {"POST /api/v1/auth/logout", {204}},
        {"GET /api/v1/auth/me", {200}},
        {"GET /api/v1/auth/tokens", {200}},
        {"POST /api/v1/auth/tokens", {201}},
        {"DELETE /api/v1/auth/tokens/{id}", {404}},
        {"GET /api/v1/users", {200}},
        {"POST /api/v1/users", {201}},  // the owner's member's name: the rival's own user
        {"PATCH /api/v1/users/{name}", {404}},
        {"GET /api/v1/audit", {200}},
        {"GET /api/v1/quota", {200}},
        {"GET /api/v1/kompositions", {200, "", true}},
        {"POST /api/v1/kompositions", {201}},  // an id the owner has: no 409
        {"GET /api/v1/kompositions/{id}", {404}},
        {"PUT /api/v1/kompositions/{id}", {201}},  // the rival's own new document
        {"DELETE /api/v1/kompositions/{id}", {404}},
        {"POST /api/v1/renders", {422}},
        {"POST /api/v1/renders/batch", {422}},
        {"GET /api/v1/renders", {200, "", true}},
        {"GET /api/v1/renders/{id}", {404}},
        {"GET /api/v1/renders/{id}/history", {404}},
        {"POST /api/v1/renders/{id}/cancel", {404}},
        {"GET /api/v1/renders/{id}/output", {404}},
        {"GET /api/v1/renders/{id}/events", {404}},
        {"GET /api/v1/events", {200}},
        {"POST /api/v1/media", {422}},  // not a medium; the owner's name is no conflict
        {"GET /api/v1/media", {200, "", true}},
        {"GET /api/v1/media/{name}", {404}},
        {"DELETE /api/v1/media/{name}", {404}},
        {"GET /api/v1/media/{name}/file", {404}},
        {"GET /api/v1/media/{name}/thumbnail", {404}},
        {"GET /api/v1/media/{name}/waveform", {404}},
        {"GET /api/v1/media/{name}/analysis", {404}},
        {"POST /api/v1/auto-kompositions", {422}},   // the owner's medium is no medium of theirs
        {"POST /api/v1/assistant/messages", {200}},  // answered, refused: not_found
        {"POST /mcp", {200}},                        // a JSON-RPC answer saying not found
        {"POST /api/v1/uploads", {201}},
        {"GET /api/v1/uploads/{id}", {404}},
        {"PUT /api/v1/uploads/{id}", {404}},
        {"DELETE /api/v1/uploads/{id}", {404}},
        {"POST /heap/_find", {200}},
        {"POST /heap/find", {200}},
        {"GET /heap/{id}", {404}},
        {"PUT /heap/{id}", {201}},
        {"DELETE /heap/{id}", {404}},
        {"POST /api/heap/_find", {200}},
        {"POST /api/heap/find", {200}},
        {"GET /api/heap/{id}", {404}},
        {"PUT /api/heap/{id}", {201}},
        {"DELETE /api/heap/{id}", {404}},
        {"POST /kvaern/createvideo", {404}},
        {"GET /api/multimedia/search", {200}},
        {"GET /meta/{id}", {404}},
        {"GET /fetch/{id}/{format}", {404}},
        {"GET /elm-editor/", {404}},  // not enabled on this server
        {"GET /elm-editor/kompost.js", {404}},
        {"GET /elm-editor/start.js", {200}},
        {"GET /", {200}},
        {"GET /{path...}", {404}},  // the owner's medium, by a path out of the web root
    };
    return expected;
}

// Reads first, then changes, then PUTs (which create the rival's own documents of the
// owner's ids, which later reads would rightly find), logout last.
int rank(const RouteEntry& route) {
    if (route.pattern == "/api/v1/auth/logout") return 4;
    if (route.method == "GET" || route.pattern.ends_with("find")) return 0;  // searches read
    return route.method == "PUT" ? 3 : route.method == "POST" ? 2 : 1;
}

// What both matrices send the same way, about `komposition` and `medium`: a chunk of an
// upload of 1000 bytes, a render of it, a search for everything, a komposition cut from
// the medium, a request in words about it and the MCP tool that reads it.
void add_common_parts(const std::string& name, const std::string& komposition,
                      const std::string& medium, Attempt& attempt) {
    if (name == "POST /api/v1/auto-kompositions") {
        attempt.body =
            json{{"audio", medium}, {"clips", {medium}}, {"id", komposition + "-auto"}}.dump();
    } else if (name == "POST /api/v1/assistant/messages") {
        attempt.body =
            json{{"message", "set the tempo to 130 bpm"}, {"komposition_id", komposition}}.dump();
    } else if (name == "POST /mcp") {
        json call{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "tools/call"}};
        call["params"]["name"] = "get_komposition";
        call["params"]["arguments"]["id"] = komposition;
        attempt.body = call.dump();
        attempt.headers["Accept"] = "application/json, text/event-stream";
    } else if (name == "PUT /api/v1/uploads/{id}") {
        attempt.body = "0123456789";
        attempt.headers["Content-Type"] = "application/octet-stream";
        attempt.headers["Content-Range"] = "bytes 0-9/1000";
    } else if (name == "POST /api/v1/renders") {
        attempt.body = json{{"komposition", komposition}}.dump();
    } else if (name == "POST /api/v1/renders/batch") {
        attempt.body = json{{"kompositions", {komposition}}}.dump();
    } else if (name == "POST /kvaern/createvideo") {
        attempt.target += "?" + komposition;
    } else if (name.ends_with("find")) {
        attempt.body = json{{"selector", json::object()}}.dump();
    } else if (name == "GET /api/multimedia/search") {
        attempt.target += "?mediaType=video";
    }
}

Attempt rival_attempt(const RouteEntry& route, const Owned& owned, const Account& rival,
                      const std::string& spare_token) {
    const std::map<std::string, std::string> ids{
        {"{name}", route.pattern.starts_with("/api/v1/users") ? owned.member : owned.medium},
        {"{format}", "mp4"},
        {"{path...}", "%2e%2e/media/default/" + owned.medium},
    };
    auto values = ids;
    if (route.pattern.starts_with("/api/v1/renders/")) values["{id}"] = owned.render;
    if (route.pattern.starts_with("/api/v1/uploads/")) values["{id}"] = owned.upload;
    if (route.pattern.starts_with("/api/v1/auth/tokens/")) values["{id}"] = owned.token_id;
    if (route.pattern.starts_with("/heap/")) values["{id}"] = owned.heap_doc;
    if (route.pattern.starts_with("/api/heap/")) values["{id}"] = owned.api_heap_doc;
    values.emplace("{id}", owned.komposition);

    Attempt attempt{fill(route.pattern, values), "", bearer(rival.token)};
    const auto name = route.name();
    const auto komposition_body = [&](const std::string& id) {
        // Not the owner's content: revisions are content hashes, equal for equal bodies.
        auto body = clip_komposition(id, {{"a", 0, 4}}, 320, 180, owned.medium);
        body["made_by"] = "rival";
        return body.dump();
    };
    if (name == "POST /api/v1/auth/login") {
        attempt.body =
            json{{"username", "mallory-rival"}, {"password", rival.password}, {"tenant", "default"}}
                .dump();
    } else if (name == "POST /api/v1/auth/logout") {
        attempt.headers = bearer(spare_token);
    } else if (name == "POST /api/v1/auth/tokens") {
        attempt.body = json{{"label", "rival"}}.dump();
    } else if (name == "POST /api/v1/users") {
        attempt.body = json{
            {"name", owned.chosen_name},
            {"password", "rival-password-long"},
            {"role",
             "viewer"}}.dump();
    } else if (name == "PATCH /api/v1/users/{name}") {
        attempt.body = json{{"disabled", true}, {"role", "viewer"}}.dump();
    } else if (name == "POST /api/v1/kompositions") {
        attempt.body = komposition_body(owned.posted_id);
    } else if (route.method == "PUT" && !route.pattern.starts_with("/api/v1/uploads")) {
        attempt.body = komposition_body(attempt.target.substr(attempt.target.rfind('/') + 1));
    } else if (name == "POST /api/v1/media") {
        attempt.target += "?name=" + owned.medium;
        attempt.body = "not a medium at all";
        attempt.headers["Content-Type"] = "application/octet-stream";
    } else if (name == "POST /api/v1/uploads") {
        attempt.body = json{{"name", owned.medium}, {"size", 10}}.dump();
    } else if (name == "GET /api/v1/events") {
        attempt.target += "?after=0";
    } else {
        add_common_parts(name, owned.komposition, owned.medium, attempt);
    }
    return attempt;
}

// The owner's strings in `body`, leaving out those the request itself sent (an answer
// may repeat what it was asked; that tells the caller nothing).
std::vector<std::string> leaked(const std::string& body, const Attempt& attempt,
                                const Owned& owned) {
    std::vector<std::string> found;
    for (const auto& marker : owned.markers()) {
        if (marker.empty()) continue;
        if (attempt.target.find(marker) != std::string::npos) continue;
        if (attempt.body.find(marker) != std::string::npos) continue;
        if (body.find(marker) != std::string::npos) found.push_back(marker);
    }
    return found;
}

// The owner's counts show nowhere: the rival's quota usage is its own (nothing yet).
void expect_own_counts(const std::string& name, const Answer& answer) {
    if (name != "GET /api/v1/quota") return;
    const auto usage = json::parse(answer.body)["usage"];
    EXPECT_EQ(usage["storage_bytes"], 0) << answer.body;
    EXPECT_EQ(usage["running_renders"], 0) << answer.body;
    EXPECT_EQ(usage["renders_today"], 0) << answer.body;
}

TEST_F(ServerIsolation, AnotherTenantsAdminGetsExactAnswersNamingNothingAndChangesNothing) {
    const auto p = server->port();
    auto routes = server_route_table(web_root.string());
    std::stable_sort(routes.begin(), routes.end(),
                     [](const auto& a, const auto& b) { return rank(a) < rank(b); });
    const auto spare_token = new_token(dir / "data", "mallory-rival", "rival");
    const auto before = tenant_snapshot(dir / "data", "default");

    std::set<std::string> tried;
    for (const auto& route : routes) {
        const auto expected = rival_expectations().find(route.name());
        ASSERT_NE(expected, rival_expectations().end())
            << route.name() << ": a route with no expected answer for another tenant: add one";
        const auto attempt = rival_attempt(route, owned, rival, spare_token);
        const auto answer = route.name() == "GET /api/v1/events" ? read_feed(p, attempt)
                                                                 : try_route(p, route, attempt);
        const auto what = route.name() + " as " + attempt.target + " -> " +
                          std::to_string(answer.status) + " " + answer.body.substr(0, 300);
        tried.insert(route.name());
        EXPECT_EQ(answer.status, expected->second.status) << what;
        EXPECT_EQ(leaked(answer.body, attempt, owned), std::vector<std::string>{}) << what;
        if (!expected->second.permission.empty() && answer.status == 403) {
            EXPECT_EQ(json::parse(answer.body).value("permission", ""), expected->second.permission)
                << what;
        }
        if (expected->second.empty_items && answer.status == 200) {
            EXPECT_EQ(json::parse(answer.body)["items"], json::array()) << what;
        }
        expect_own_counts(route.name(), answer);
    }
    // One attempt per route and verb: the matrix is exactly the route table.
    EXPECT_EQ(tried.size(), routes.size());
    EXPECT_EQ(tried.size(), rival_expectations().size());
    std::cout << "isolation matrix: " << tried.size()
              << " routes x verbs x 1 attempt = " << tried.size()
              << " attempts; route table: " << routes.size() << " entries ("
              << std::count_if(routes.begin(), routes.end(),
                               [](const auto& r) { return !r.documented; })
              << " undocumented)\n";

    EXPECT_EQ(tenant_snapshot(dir / "data", "default"), before);
}

// What each route answers a role allowed to call it, on its own tenant's things.
const std::map<std::string, int>& success_statuses() {
    static const std::map<std::string, int> expected{
        {"GET /healthz", 200},
        {"GET /readyz", 200},
        {"GET /metrics", 200},
        {"GET /api/v1/openapi.json", 200},
        {"POST /api/v1/auth/login", 200},
        {"POST /api/v1/auth/logout", 204},
        {"GET /api/v1/auth/me", 200},
        {"GET /api/v1/auth/tokens", 200},
        {"POST /api/v1/auth/tokens", 201},
        {"DELETE /api/v1/auth/tokens/{id}", 204},
        {"GET /api/v1/users", 200},
        {"POST /api/v1/users", 201},
        {"PATCH /api/v1/users/{name}", 200},
        {"GET /api/v1/audit", 200},
        {"GET /api/v1/quota", 200},
        {"GET /api/v1/kompositions", 200},
        {"POST /api/v1/kompositions", 201},
        {"GET /api/v1/kompositions/{id}", 200},
        {"PUT /api/v1/kompositions/{id}", 200},
        {"DELETE /api/v1/kompositions/{id}", 200},
        {"POST /api/v1/renders", 202},
        {"POST /api/v1/renders/batch", 202},
        {"GET /api/v1/renders", 200},
        {"GET /api/v1/renders/{id}", 200},
        {"GET /api/v1/renders/{id}/history", 200},
        {"POST /api/v1/renders/{id}/cancel", 200},
        {"GET /api/v1/renders/{id}/output", 200},
        {"GET /api/v1/renders/{id}/events", 200},
        {"GET /api/v1/events", 200},
        {"POST /api/v1/media", 201},
        {"GET /api/v1/media", 200},
        {"GET /api/v1/media/{name}", 200},
        {"DELETE /api/v1/media/{name}", 409},  // the role's kompositions use it: nothing deleted
        {"GET /api/v1/media/{name}/file", 200},
        {"GET /api/v1/media/{name}/thumbnail", 200},
        {"GET /api/v1/media/{name}/waveform", 422},  // the clip has no sound to draw
        {"GET /api/v1/media/{name}/analysis", 200},
        {"POST /api/v1/auto-kompositions", 422},  // the clip has no sound to cut to
        {"POST /api/v1/assistant/messages", 200},
        {"POST /mcp", 200},
        {"POST /api/v1/uploads", 201},
        {"GET /api/v1/uploads/{id}", 200},
        {"PUT /api/v1/uploads/{id}", 200},
        {"DELETE /api/v1/uploads/{id}", 204},
        {"POST /heap/_find", 200},
        {"POST /heap/find", 200},
        {"GET /heap/{id}", 200},
        {"PUT /heap/{id}", 201},
        {"DELETE /heap/{id}", 200},
        {"POST /api/heap/_find", 200},
        {"POST /api/heap/find", 200},
        {"GET /api/heap/{id}", 200},
        {"PUT /api/heap/{id}", 201},
        {"DELETE /api/heap/{id}", 200},
        {"POST /kvaern/createvideo", 200},
        {"GET /api/multimedia/search", 200},
        {"GET /meta/{id}", 501},  // the owner's id is found; fetching is not offered
        {"GET /fetch/{id}/{format}", 501},
        {"GET /elm-editor/", 404},  // not enabled on this server
        {"GET /elm-editor/kompost.js", 404},
        {"GET /elm-editor/start.js", 200},
        {"GET /", 200},
        {"GET /{path...}", 200},
    };
    return expected;
}

// The size of the route table the expectations were written for: a route removed (or
// added) fails here until both tables say what it answers.
constexpr std::size_t kRouteCount = 63;

// What one role works on in its pass: things of its own tenant it may change or remove
// without spoiling the next role's pass.
struct RoleThings {
    std::string user;
    Account account;
    std::string spare_token;  // signed out by the logout attempt
    std::string token_id;     // revoked by the revoke attempt
    std::string komposition;  // read, updated, rendered
    std::string rev;
    std::string doomed;  // deleted
    std::string doomed_rev;
    std::map<std::string, std::string> heap_revs;  // heap documents to delete, by prefix
    std::string member;                            // changed
    std::string upload;                            // read and written
    std::string doomed_upload;                     // cancelled
};

class ServerRoles : public ServerIsolation {
  protected:
    std::string make_komposition(const std::string& id) {
        const auto made =
            http_post_json(server->port(), "/api/v1/kompositions",
                           clip_komposition(id, {{"a", 0, 4}}, 320, 180, owned.medium));
        if (made.status != 201) throw std::runtime_error("komposition " + id + ": " + made.body);
        return made.json()["_rev"];
    }

    std::string announce(const std::string& name) {
        const auto made =
            http_post_json(server->port(), "/api/v1/uploads", {{"name", name}, {"size", 1000}});
        if (made.status != 201) throw std::runtime_error("upload " + name + ": " + made.body);
        return made.json()["id"];
    }

    RoleThings things_of(const std::string& role) {
        const auto p = server->port();
        RoleThings things;
        things.user = "role-" + role;
        things.account = add_account(dir / "data", things.user, role, "default");
        things.spare_token = new_token(dir / "data", things.user, "default");
        const auto token = http_post_json(p, "/api/v1/auth/tokens", {{"label", "doomed"}},
                                          bearer(things.account.token));
        things.token_id = token.json()["id"];
        things.komposition = "k-" + role;
        things.rev = make_komposition(things.komposition);
        things.doomed = "k-" + role + "-gone";
        things.doomed_rev = make_komposition(things.doomed);
        for (const std::string prefix : {"/heap", "/api/heap"}) {
            things.heap_revs[prefix] =
                make_komposition("k-" + role + prefix.substr(1, 3) + "-gone");
        }
        const auto member = http_post_json(
            p, "/api/v1/users",
            {{"name", "member-" + role}, {"password", "member-password-long"}, {"role", "viewer"}});
        if (member.status != 201) throw std::runtime_error("member: " + member.body);
        things.member = member.json()["name"];
        things.upload = announce("up-" + role + ".mp4");
        things.doomed_upload = announce("gone-" + role + ".mp4");
        return things;
    }

    Attempt role_attempt(const RouteEntry& route, const std::string& role, const RoleThings& t) {
        const auto name = route.name();
        const auto heap_prefix = route.pattern.starts_with("/api/heap") ? "/api/heap" : "/heap";
        std::map<std::string, std::string> values{
            {"{name}", route.pattern.starts_with("/api/v1/users") ? t.member : owned.medium},
            {"{format}", "mp4"},
            {"{path...}", "assets/app.js"},
        };
        if (route.pattern.starts_with("/api/v1/renders/")) values["{id}"] = owned.render;
        if (route.pattern.starts_with("/api/v1/uploads/")) {
            values["{id}"] = route.method == "DELETE" ? t.doomed_upload : t.upload;
        }
        if (route.pattern.starts_with("/api/v1/auth/tokens/")) values["{id}"] = t.token_id;
        if (name == "DELETE /api/v1/kompositions/{id}") values["{id}"] = t.doomed;
        if (route.pattern.find("heap/{id}") != std::string::npos && route.method == "PUT") {
            values["{id}"] = "k-" + role + std::string(heap_prefix).substr(1, 3) + "-new";
        }
        if (route.pattern.find("heap/{id}") != std::string::npos && route.method == "DELETE") {
            values["{id}"] = "k-" + role + std::string(heap_prefix).substr(1, 3) + "-gone";
        }
        values.emplace("{id}", t.komposition);

        Attempt attempt{fill(route.pattern, values), "", bearer(t.account.token)};
        const auto komposition_body = [&](const std::string& id) {
            return clip_komposition(id, {{"a", 0, 4}}, 320, 180, owned.medium);
        };
        if (name == "POST /api/v1/auth/login") {
            attempt.body = json{{"username", t.user}, {"password", t.account.password}}.dump();
        } else if (name == "POST /api/v1/auth/logout") {
            attempt.headers = bearer(t.spare_token);
        } else if (name == "POST /api/v1/auth/tokens") {
            attempt.body = json{{"label", "role"}}.dump();
        } else if (name == "POST /api/v1/users") {
            attempt.body =
                json{{"name", "new-" + role}, {"password", "new-password-long"}, {"role", "viewer"}}
                    .dump();
        } else if (name == "PATCH /api/v1/users/{name}") {
            attempt.body = json{{"role", "editor"}}.dump();
        } else if (name == "POST /api/v1/kompositions") {
            attempt.body = komposition_body("k-" + role + "-posted").dump();
        } else if (name == "PUT /api/v1/kompositions/{id}") {
            auto body = komposition_body(t.komposition);
            body["_rev"] = t.rev;
            attempt.body = body.dump();
        } else if (name == "DELETE /api/v1/kompositions/{id}") {
            attempt.headers["If-Match"] = "\"" + t.doomed_rev + "\"";
        } else if (route.pattern.find("heap/{id}") != std::string::npos && route.method == "PUT") {
            attempt.body =
                komposition_body(attempt.target.substr(attempt.target.rfind('/') + 1)).dump();
        } else if (route.pattern.find("heap/{id}") != std::string::npos &&
                   route.method == "DELETE") {
            attempt.target += "?rev=" + t.heap_revs.at(heap_prefix);
        } else if (name == "POST /api/v1/media") {
            attempt.target += "?name=m-" + role + ".mp4";
            attempt.body = clip_bytes;
            attempt.headers["Content-Type"] = "application/octet-stream";
        } else if (name == "POST /api/v1/uploads") {
            attempt.body = json{{"name", "new-" + role + ".mp4"}, {"size", 10}}.dump();
        } else {
            add_common_parts(name, t.komposition, owned.medium, attempt);
        }
        return attempt;
    }

    std::string clip_bytes;
};

TEST_F(ServerRoles, EachRoleGetsTheExactSuccessOfWhatItMayDoAnd403NamingTheRest) {
    const std::vector<std::pair<std::string, std::set<std::string>>> roles{
        {"viewer", {"none", "read"}},
        {"editor", {"none", "read", "edit", "render"}},
        {"producer", {"none", "read", "edit", "render", "batch"}},
        {"admin", {"none", "read", "edit", "render", "batch", "admin"}},
        {"operator", {"none", "read", "edit", "render", "batch", "admin", "operate"}},
    };
    {
        std::ifstream in(dir / "clip.mp4", std::ios::binary);
        clip_bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    auto routes = server_route_table(web_root.string());
    ASSERT_EQ(routes.size(), kRouteCount);
    ASSERT_EQ(success_statuses().size(), kRouteCount);
    std::stable_sort(routes.begin(), routes.end(),
                     [](const auto& a, const auto& b) { return rank(a) < rank(b); });
    for (const auto& [role, allowed] : roles) {
        const auto things = things_of(role);
        std::size_t tried = 0;
        for (const auto& route : routes) {
            const auto expected = success_statuses().find(route.name());
            ASSERT_NE(expected, success_statuses().end())
                << route.name() << ": a route with no expected success status: add one";
            const auto attempt = role_attempt(route, role, things);
            const auto answer = try_route(server->port(), route, attempt);
            const auto what = role + ": " + route.name() + " as " + attempt.target + " -> " +
                              std::to_string(answer.status) + " " + answer.body.substr(0, 200);
            ++tried;
            if (allowed.contains(route.permission)) {
                EXPECT_EQ(answer.status, expected->second) << what;
            } else {
                EXPECT_EQ(answer.status, 403) << what;
                EXPECT_EQ(json::parse(answer.body).value("permission", ""), route.permission)
                    << what;
            }
        }
        EXPECT_EQ(tried, kRouteCount) << role;
    }
}

}  // namespace
}  // namespace kompo::test
