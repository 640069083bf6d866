// Signing in against a real `kompo serve`: sessions in HttpOnly cookies with CSRF
// protection, API tokens, lockout after failed logins, rate limits, revocation and
// expiry that take effect at once, and quotas refused with the quota named.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>

#include "e2e/security_support.hpp"
#include "server_support.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

const HttpHeaders kNoCredentials{{"Authorization", ""}};

HttpResponse login(int port, const std::string& name, const std::string& password) {
    return http_post_json(port, "/api/v1/auth/login", {{"username", name}, {"password", password}},
                          kNoCredentials);
}

// "kompo_session=SECRET" from the Set-Cookie of a login.
std::string session_cookie(const HttpResponse& response) {
    const auto set = response.header("Set-Cookie");
    return set.substr(0, set.find(';'));
}

void add_user(const std::filesystem::path& data, const std::string& name, const std::string& role,
              const std::string& tenant = "default") {
    const auto added = kompo(
        {"user", "add", name, "--role", role, "--tenant", tenant, "--data-dir", data.string()});
    ASSERT_EQ(added.exit_code, 0) << added.err;
}

std::string password_of(const std::filesystem::path& data, const std::string& name) {
    const auto reset = kompo({"user", "reset-password", name, "--data-dir", data.string()});
    const auto at = reset.out.find("password: ");
    if (reset.exit_code != 0 || at == std::string::npos) return "";
    const auto rest = reset.out.substr(at + 10);
    return rest.substr(0, rest.find(' '));
}

TEST(ServerAuth, ASessionCookieSignsInAndNeedsItsCsrfTokenToChangeThings) {
    const auto data = scratch_dir() / "data";
    ServerProcess server(data, {"--workers", "0"});
    const auto port = server.port();

    EXPECT_EQ(http_get(port, "/api/v1/kompositions", kNoCredentials).status, 401);
    const auto refused = login(port, "admin", "not the password");
    EXPECT_EQ(refused.status, 401);
    EXPECT_EQ(refused.json()["message"], "The name or the password is wrong.");  // shown as it is

    const auto signed_in = login(port, "admin", server.admin_password());
    ASSERT_EQ(signed_in.status, 200) << signed_in.body;
    const auto set_cookie = signed_in.header("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
    EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos) << set_cookie;
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP: " << set_cookie;
    const auto me = signed_in.json();
    EXPECT_EQ(me["user"]["name"], "admin");
    EXPECT_EQ(me["user"]["tenant"], "default");
    EXPECT_EQ(me["user"]["role"], "admin");
    const std::string csrf = me["csrf_token"];
    const HttpHeaders cookie{{"Cookie", session_cookie(signed_in)}};

    EXPECT_EQ(http_get(port, "/api/v1/auth/me", cookie).json()["csrf_token"], csrf);
    const json doc = clip_komposition("k1", {{"a", 0, 4}});
    const auto forged = http_post_json(port, "/api/v1/kompositions", doc, cookie);
    EXPECT_EQ(forged.status, 403);
    EXPECT_EQ(forged.json()["error"], "csrf");
    EXPECT_EQ(http_get(port, "/api/v1/kompositions/k1", cookie).status, 404) << "nothing stored";
    auto with_csrf = cookie;
    with_csrf["X-CSRF-Token"] = csrf;
    EXPECT_EQ(http_post_json(port, "/api/v1/kompositions", doc, with_csrf).status, 201);

    // Signing out revokes the session in the store: the cookie is dead at once.
    const auto out = http_request(port, "POST", "/api/v1/auth/logout", "", with_csrf);
    EXPECT_EQ(out.status, 204);
    EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(http_get(port, "/api/v1/auth/me", cookie).status, 401);
}

TEST(ServerAuth, SecureCookiesBehindATlsProxy) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    auto response = http_post_json(server.port(), "/api/v1/auth/login",
                                   {{"username", "admin"}, {"password", server.admin_password()}},
                                   {{"Authorization", ""}, {"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(response.status, 200);
    EXPECT_NE(response.header("Set-Cookie").find("; Secure"), std::string::npos);
}

TEST(ServerAuth, RepeatedFailedLoginsLockTheAccountAndAreAudited) {
    const auto data = scratch_dir() / "data";
    ServerProcess server(data, {"--workers", "0"});
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(login(server.port(), "admin", "guess number " + std::to_string(i)).status, 401);
    }
    const auto locked = login(server.port(), "admin", server.admin_password());
    EXPECT_EQ(locked.status, 429) << locked.body;
    EXPECT_EQ(locked.json()["error"], "locked");
    EXPECT_TRUE(locked.json()["message"].get<std::string>().starts_with(
        "Too many failed sign-ins: try again in "))
        << locked.body;
    EXPECT_GE(std::stoi(locked.header("Retry-After")), 1);
    // An API token is not a password: scripts keep working during a lockout.
    EXPECT_EQ(http_get(server.port(), "/api/v1/kompositions").status, 200);

    const auto audit = http_get(server.port(), "/api/v1/audit?limit=500").json()["items"];
    int refused = 0;
    for (const auto& entry : audit) {
        if (entry["action"] == "login" && entry["outcome"] == "refused") ++refused;
    }
    EXPECT_EQ(refused, 6);
    const auto cli = kompo({"audit", "--data-dir", data.string()});
    EXPECT_NE(cli.out.find("refused  admin@default  login"), std::string::npos) << cli.out;
}

TEST(ServerAuth, LoginAttemptsAreRateLimitedPerAddress) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"},
                         {{"KOMPO_AUTH_LOGIN_PER_MINUTE", "3"}});
    for (int i = 0; i < 3; ++i) EXPECT_EQ(login(server.port(), "nobody", "x").status, 401);
    const auto limited = login(server.port(), "nobody", "x");
    EXPECT_EQ(limited.status, 429);
    EXPECT_EQ(limited.json()["error"], "rate_limited");
    EXPECT_FALSE(limited.header("Retry-After").empty());
}

// A flood is cut off per user, and per client address before anyone is identified. The
// loops stop at the first refusal; they are long enough that refilling cannot keep up.
TEST(ServerAuth, TheApiIsRateLimitedPerUserAndPerAddress) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"},
                         {{"KOMPO_AUTH_API_PER_SECOND", "1"}});  // bursts: 4 a user, 16 an address
    HttpResponse refused;
    for (int i = 0; i < 12 && refused.status != 429; ++i) {
        refused = http_get(server.port(), "/api/v1/kompositions");
    }
    EXPECT_EQ(refused.status, 429);
    EXPECT_NE(refused.json()["message"].get<std::string>().find("from admin"), std::string::npos)
        << refused.body;
    EXPECT_FALSE(refused.header("Retry-After").empty());
    HttpResponse anonymous;
    for (int i = 0; i < 60 && anonymous.status != 429; ++i) {
        anonymous = http_get(server.port(), "/healthz", kNoCredentials);
    }
    EXPECT_EQ(anonymous.status, 429);
    EXPECT_NE(anonymous.json()["message"].get<std::string>().find("from 127.0.0.1"),
              std::string::npos)
        << anonymous.body;
}

TEST(ServerAuth, ApiTokensWorkAsBearerAndAuthyUntilRevoked) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    const auto port = server.port();
    const auto made = http_post_json(port, "/api/v1/auth/tokens", {{"label", "elm-editor"}});
    ASSERT_EQ(made.status, 201) << made.body;
    const std::string token = made.json()["token"];
    const std::string id = made.json()["id"];
    EXPECT_EQ(token.rfind("kpa_", 0), 0u);

    EXPECT_EQ(http_get(port, "/api/v1/auth/me", {{"Authorization", "Bearer " + token}}).status,
              200);
    EXPECT_EQ(http_get(port, "/heap/nothing", {{"Authy", token}}).status, 404);
    const auto listed = http_get(port, "/api/v1/auth/tokens").json()["items"];
    bool shown_without_secret = false;
    for (const auto& t : listed) {
        if (t["id"] == id)
            shown_without_secret = !t.contains("token") && t["label"] == "elm-editor";
    }
    EXPECT_TRUE(shown_without_secret) << listed.dump();

    EXPECT_EQ(http_delete(port, "/api/v1/auth/tokens/" + id).status, 204);
    EXPECT_EQ(http_get(port, "/heap/nothing", {{"Authy", token}}).status, 401);
    EXPECT_EQ(http_get(port, "/api/v1/auth/me", {{"Authorization", "Bearer " + token}}).status,
              401);
    EXPECT_EQ(http_delete(port, "/api/v1/auth/tokens/" + id).status, 404);
}

TEST(ServerAuth, ADisabledUserIsSignedOutEverywhereAtOnce) {
    const auto data = scratch_dir() / "data";
    ServerProcess server(data, {"--workers", "0"});
    add_user(data, "ada", "editor");
    const auto password = password_of(data, "ada");
    const auto session = login(server.port(), "ada", password);
    ASSERT_EQ(session.status, 200);
    const HttpHeaders cookie{{"Cookie", session_cookie(session)}};
    EXPECT_EQ(http_get(server.port(), "/api/v1/auth/me", cookie).status, 200);
    ASSERT_EQ(kompo({"user", "disable", "ada", "--data-dir", data.string()}).exit_code, 0);
    EXPECT_EQ(http_get(server.port(), "/api/v1/auth/me", cookie).status, 401);
    EXPECT_EQ(login(server.port(), "ada", password).status, 401);
}

// The server keeps the credentials it signed in with (auth/credential_cache.hpp), and
// the render status answers on the I/O thread from its own cache: still, whatever changes
// who a token signs in as counts on the very next request, whether this server made the
// change (a revoked token, a member disabled by their admin) or another process did
// (`kompo user disable`, `kompo user grant`); and a new event changes the next status.
TEST(ServerAuth, ChangesToWhoATokenIsCountOnTheVeryNextStatusRequest) {
    const auto data = scratch_dir() / "data";
    ServerProcess server(data, {"--workers", "0"});
    const auto port = server.port();
    ASSERT_EQ(http_post_json(port, "/api/v1/kompositions",
                             {{"_id", "song"},
                              {"type", "Komposition"},
                              {"bpm", 120},
                              {"segments", json::array()},
                              {"sources", json::array()}})
                  .status,
              201);
    const auto started = http_post_json(port, "/api/v1/renders", {{"komposition", "song"}});
    ASSERT_EQ(started.status, 202) << started.body;
    const auto target = "/api/v1/renders/" + started.json()["id"].get<std::string>();
    std::map<std::string, std::string> tokens;
    for (const std::string name : {"ada", "bob", "cy", "dee"}) {
        add_user(data, name, "editor");
        tokens[name] = new_token(data, name, "default");
        for (int again = 0; again < 2; ++again) {  // the second from the cached credential
            const auto seen = http_get(port, target, bearer(tokens[name]));
            ASSERT_EQ(seen.status, 200) << name << ": " << seen.body;
            EXPECT_EQ(seen.json()["state"], "queued");
        }
    }

    const auto listed = http_get(port, "/api/v1/auth/tokens", bearer(tokens["ada"]));
    ASSERT_EQ(listed.status, 200) << listed.body;
    ASSERT_EQ(listed.json()["items"].size(), 1u) << listed.body;
    const std::string id = listed.json()["items"][0]["id"];
    ASSERT_EQ(http_delete(port, "/api/v1/auth/tokens/" + id, bearer(tokens["ada"])).status, 204);
    EXPECT_EQ(http_get(port, target, bearer(tokens["ada"])).status, 401);

    const auto disabled =
        http_request(port, "PATCH", "/api/v1/users/bob", json{{"disabled", true}}.dump(), {});
    ASSERT_EQ(disabled.status, 200) << disabled.body;
    EXPECT_EQ(http_get(port, target, bearer(tokens["bob"])).status, 401);

    ASSERT_EQ(kompo({"user", "disable", "cy", "--data-dir", data.string()}).exit_code, 0);
    EXPECT_EQ(http_get(port, target, bearer(tokens["cy"])).status, 401);

    ASSERT_EQ(kompo({"user", "grant", "dee", "--tenant", "default", "--role", "viewer",
                     "--data-dir", data.string()})
                  .exit_code,
              0);
    const auto as_viewer =
        http_post_json(port, target + "/cancel", json::object(), bearer(tokens["dee"]));
    EXPECT_EQ(as_viewer.status, 403) << as_viewer.body;
    EXPECT_EQ(http_get(port, target, bearer(tokens["dee"])).json()["state"], "queued");
    ASSERT_EQ(http_post_json(port, target + "/cancel", json::object()).status, 200);
    EXPECT_EQ(http_get(port, target, bearer(tokens["dee"])).json()["state"], "cancelled");
}

TEST(ServerAuth, AnExpiredSessionIsRefused) {
    // Sessions of 1.08 s: the test waits for the expiry it asserts, bounded.
    ServerProcess server(
        scratch_dir() / "data", {"--workers", "0"},
        {{"KOMPO_AUTH_SESSION_HOURS", "0.0003"}, {"KOMPO_AUTH_API_PER_SECOND", "1000000"}});
    const auto session = login(server.port(), "admin", server.admin_password());
    ASSERT_EQ(session.status, 200);
    const HttpHeaders cookie{{"Cookie", session_cookie(session)}};
    ASSERT_EQ(http_get(server.port(), "/api/v1/auth/me", cookie).status, 200);
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    HttpResponse answer;
    answer.status = 200;
    while (answer.status == 200 && std::chrono::steady_clock::now() < deadline) {
        answer = http_get(server.port(), "/api/v1/auth/me", cookie);
    }
    EXPECT_EQ(answer.status, 401);
    EXPECT_NE(answer.json()["message"].get<std::string>().find("expired"), std::string::npos)
        << answer.body;
}

TEST(ServerAuth, RendersOverTheTenantsQuotaAreRefusedNamingTheQuota) {
    const auto data = scratch_dir() / "data";
    ServerProcess server(
        data, {"--workers", "0"},
        {{"KOMPO_QUOTAS_CONCURRENT_RENDERS", "1"}, {"KOMPO_QUOTAS_PRODUCER_FACTOR", "1"}});
    const auto port = server.port();
    ASSERT_EQ(
        http_post_json(port, "/api/v1/kompositions", clip_komposition("k", {{"a", 0, 4}})).status,
        201);
    // No workers: the first render stays queued and holds the one slot.
    EXPECT_EQ(http_post_json(port, "/api/v1/renders", {{"komposition", "k"}}).status, 202);
    const auto refused = http_post_json(port, "/api/v1/renders", {{"komposition", "k"}});
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(refused.json()["quota"], "concurrent_renders");
    EXPECT_NE(refused.json()["message"].get<std::string>().find("concurrent_renders"),
              std::string::npos);
    EXPECT_EQ(http_get(port, "/api/v1/renders").json()["items"].size(), 1u);
    const auto quota = http_get(port, "/api/v1/quota").json();
    EXPECT_EQ(quota["usage"]["running_renders"], 1);
    EXPECT_EQ(quota["limits"]["concurrent_renders"], 1);
}

TEST(ServerAuth, RendersOverTheDailyQuotaAreRefusedSayingWhenItResets) {
    ServerProcess server(
        scratch_dir() / "data", {"--workers", "0"},
        {{"KOMPO_QUOTAS_RENDERS_PER_DAY", "2"}, {"KOMPO_QUOTAS_PRODUCER_FACTOR", "1"}});
    const auto port = server.port();
    ASSERT_EQ(
        http_post_json(port, "/api/v1/kompositions", clip_komposition("k", {{"a", 0, 4}})).status,
        201);
    EXPECT_EQ(http_post_json(port, "/api/v1/renders", {{"komposition", "k"}}).status, 202);
    // A batch that would make three is refused whole: none of it starts.
    const auto batch =
        http_post_json(port, "/api/v1/renders/batch", {{"kompositions", {"k", "k"}}});
    EXPECT_EQ(batch.status, 429) << batch.body;
    EXPECT_EQ(batch.json()["quota"], "renders_per_day");
    EXPECT_EQ(http_post_json(port, "/api/v1/renders", {{"komposition", "k"}}).status, 202);
    const auto refused = http_post_json(port, "/api/v1/renders", {{"komposition", "k"}});
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_EQ(refused.json()["quota"], "renders_per_day");
    EXPECT_NE(refused.json()["message"].get<std::string>().find("resets at"), std::string::npos)
        << refused.body;
    const auto retry_after = std::stol(refused.header("Retry-After"));
    EXPECT_GT(retry_after, 0);
    EXPECT_LE(retry_after, 24 * 3600);
    EXPECT_EQ(http_get(port, "/api/v1/renders").json()["items"].size(), 2u);
}

// Upload and storage quotas refuse a medium before its body is stored (413, naming the
// quota); what is stored stays, and the refused upload leaves nothing behind.
TEST(ServerAuth, UploadsOverTheUploadOrStorageQuotaAreRefusedAndStoreNothing) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "small.mp4", "red", 1, 160, 90);
    make_colour_clip(dir / "big.mp4", "blue", 4, 640, 360);
    const auto small = std::filesystem::file_size(dir / "small.mp4");
    const auto big = std::filesystem::file_size(dir / "big.mp4");
    ASSERT_GT(big, 2 * small);
    // One upload may be up to big - 1 bytes; the tenant may keep small + a little.
    ServerProcess server(dir / "data", {"--workers", "0"},
                         {{"KOMPO_QUOTAS_UPLOAD", std::to_string(big - 1)},
                          {"KOMPO_QUOTAS_STORAGE", std::to_string(small + small / 2)}});
    const auto port = server.port();
    const auto too_big = http_upload_file(port, "/api/v1/media?name=big.mp4", dir / "big.mp4");
    EXPECT_EQ(too_big.status, 413) << too_big.body;
    EXPECT_EQ(too_big.json()["quota"], "upload");
    ASSERT_EQ(http_upload_file(port, "/api/v1/media?name=one.mp4", dir / "small.mp4").status, 201);
    const auto full = http_upload_file(port, "/api/v1/media?name=two.mp4", dir / "small.mp4");
    EXPECT_EQ(full.status, 413) << full.body;
    EXPECT_EQ(full.json()["quota"], "storage");
    EXPECT_NE(full.json()["message"].get<std::string>().find("delete media"), std::string::npos);
    const auto media = dir / "data" / "media" / "default";
    EXPECT_TRUE(std::filesystem::exists(media / "one.mp4"));
    EXPECT_FALSE(std::filesystem::exists(media / "two.mp4"));
    EXPECT_FALSE(std::filesystem::exists(media / "big.mp4"));
    for (const auto& entry : std::filesystem::directory_iterator(dir / "data" / "uploads")) {
        EXPECT_TRUE(entry.is_directory()) << "left behind: " << entry.path();
    }
    EXPECT_EQ(http_get(port, "/api/v1/quota").json()["usage"]["storage_bytes"], small);
}

TEST(ServerAuth, AnUploadWithoutCredentialsIsRefusedBeforeItsBodyIsStored) {
    const auto dir = scratch_dir();
    make_colour_clip(dir / "clip.mp4", "red", 1, 160, 90);
    ServerProcess server(dir / "data", {"--workers", "0"});
    const auto refused = http_upload_file(server.port(), "/api/v1/media?name=clip.mp4",
                                          dir / "clip.mp4", kNoCredentials);
    EXPECT_EQ(refused.status, 401);
    EXPECT_TRUE(std::filesystem::is_empty(dir / "data" / "uploads"));
    EXPECT_FALSE(std::filesystem::exists(dir / "data" / "media" / "default" / "clip.mp4"));
}

void expect_security_headers(const HttpResponse& response, const std::string& what) {
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff") << what;
    EXPECT_NE(response.header("Content-Security-Policy").find("frame-ancestors 'self'"),
              std::string::npos)
        << what;
    EXPECT_EQ(response.header("X-Frame-Options"), "SAMEORIGIN") << what;
    EXPECT_EQ(response.header("Referrer-Policy"), "same-origin") << what;
}

TEST(ServerAuth, EveryAnswerCarriesTheSecurityHeaders) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    for (const auto* path :
         {"/healthz", "/api/v1/kompositions", "/no/such/path", "/api/v1/renders/nope/events"}) {
        expect_security_headers(http_get(server.port(), path), path);
    }
    SseClient sse(server.port(), "/api/v1/events?after=latest");
    expect_security_headers(sse.response(), "SSE /api/v1/events");
    WsClient ws(server.port(), "/api/v1/events?after=latest");
    EXPECT_EQ(ws.handshake_response().status, 101);
    expect_security_headers(ws.handshake_response(), "WebSocket /api/v1/events");
}

// A page of another site can make the browser open a WebSocket with the user's cookie;
// its Origin gives it away. The platform's own pages (same origin) and clients that send
// no Origin get their stream.
TEST(ServerAuth, AWebSocketWithTheSessionCookieFromAnotherSiteIsRefused) {
    ServerProcess server(scratch_dir() / "data", {"--workers", "0"});
    const auto port = server.port();
    const auto signed_in = login(port, "admin", server.admin_password());
    ASSERT_EQ(signed_in.status, 200) << signed_in.body;
    const auto cookie = session_cookie(signed_in);
    try {
        WsClient evil(port, "/api/v1/events?after=latest",
                      {{"Cookie", cookie}, {"Origin", "https://evil.example"}});
        FAIL() << "a cross-site WebSocket with the session cookie was accepted";
    } catch (const HttpStatusError& refused) {
        EXPECT_EQ(refused.status, 403);
        EXPECT_NE(refused.body.find("evil.example"), std::string::npos) << refused.body;
    }
    WsClient own(port, "/api/v1/events?after=latest",
                 {{"Cookie", cookie}, {"Origin", "http://127.0.0.1:" + std::to_string(port)}});
    EXPECT_EQ(own.handshake_response().status, 101);
}

// What the audit log promises: logins, token changes, permission denials, deletions and
// renders, each with who, what, when and from where, readable over the API and the CLI.
TEST(ServerAuth, TheAuditLogRecordsWhoDidWhatWhenAndFromWhere) {
    const auto data = scratch_dir() / "data";
    ServerProcess server(data, {"--workers", "0"});
    const auto port = server.port();
    add_user(data, "vic", "viewer");
    const auto viewer_password = password_of(data, "vic");
    ASSERT_EQ(login(port, "vic", viewer_password).status, 200);
    const auto made = http_post_json(port, "/api/v1/auth/tokens", {{"label", "script"}});
    ASSERT_EQ(made.status, 201);
    ASSERT_EQ(
        http_delete(port, "/api/v1/auth/tokens/" + made.json()["id"].get<std::string>()).status,
        204);
    ASSERT_EQ(
        http_post_json(port, "/api/v1/kompositions", clip_komposition("k", {{"a", 0, 4}})).status,
        201);
    ASSERT_EQ(http_post_json(port, "/api/v1/renders", {{"komposition", "k"}}).status, 202);
    const auto viewer_token = kompo({"token", "add", "--user", "vic", "--data-dir", data.string()});
    ASSERT_EQ(viewer_token.exit_code, 0) << viewer_token.err;
    const HttpHeaders as_viewer{
        {"Authorization", "Bearer " + viewer_token.out.substr(0, viewer_token.out.find('\n'))}};
    EXPECT_EQ(http_delete(port, "/api/v1/kompositions/k", as_viewer).status, 403);
    const auto etag = http_get(port, "/api/v1/kompositions/k").header("ETag");
    ASSERT_EQ(http_delete(port, "/api/v1/kompositions/k", {{"If-Match", etag}}).status, 200);

    const auto items = http_get(port, "/api/v1/audit?limit=500").json()["items"];
    std::set<std::string> seen;
    for (const auto& entry : items) {
        seen.insert(entry["action"].get<std::string>() + " " + entry["outcome"].get<std::string>() +
                    " " + entry["actor"].get<std::string>());
        // What the command line did is "local"; what came over HTTP names the client.
        const bool by_cli = entry["actor"].get<std::string>().rfind("cli:", 0) == 0;
        EXPECT_EQ(entry["remote"], by_cli ? "local" : "127.0.0.1") << entry;
        EXPECT_GT(entry["at"].get<std::int64_t>(), 0) << entry;
    }
    for (const std::string wanted :
         {"login ok vic", "token.create ok admin", "token.revoke ok admin", "render.start ok admin",
          "permission.denied refused vic", "komposition.delete ok admin"}) {
        EXPECT_TRUE(seen.contains(wanted)) << wanted << " not among:\n"
                                           << [&] {
                                                  std::string all;
                                                  for (const auto& s : seen) all += s + "\n";
                                                  return all;
                                              }();
    }
    const auto cli = kompo({"audit", "--actor", "vic", "--data-dir", data.string()});
    EXPECT_NE(cli.out.find("permission.denied"), std::string::npos) << cli.out;
    EXPECT_EQ(cli.out.find("token.create"), std::string::npos) << cli.out;
}

}  // namespace
}  // namespace kompo::test
