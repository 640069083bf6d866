// The OpenAPI document describes exactly the routes the server has: every documented
// route is in it with its method and the permission it needs (x-permission), and it
// names no route the server lacks. The role and tenant matrices read the permissions
// from the served document, so this keeps them testing the real routes.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "platform/platform.hpp"
#include "server/connections.hpp"
#include "server/event_hub.hpp"
#include "server/metrics.hpp"
#include "server/openapi_document.hpp"
#include "server/routes.hpp"
#include "support/support.hpp"

namespace kompo::server {
namespace {

TEST(OpenApi, DescribesExactlyTheRoutesOfTheRouter) {
    const auto dir = test::scratch_dir();
    platform::Config config;
    config.data_dir = dir.string();
    config.cache_size = "1G";
    auto platform = platform::open_platform(config);
    Log log("text");
    EventHub events(*platform, log);
    Metrics metrics(*platform, events);
    Connections connections(16);
    auth::Accounts accounts(platform->account_store);
    platform::Quotas quotas(platform->tenant_store, config.quotas);
    auth::RateLimiter logins(1, 1);
    ServiceContext services{*platform,   config,   log,    events, metrics,
                            connections, accounts, quotas, logins};
    Router router;
    add_routes(router, services);

    std::set<std::string> served;
    for (const auto& r : router.routes()) {
        if (!r.documented) continue;
        const auto method = r.stream ? "get" : std::string(http::to_string(r.method));
        std::string lower;
        for (char c : method) lower += static_cast<char>(std::tolower(c));
        // A "{name...}" rest parameter is written "{name}" in OpenAPI.
        auto path = r.pattern;
        if (const auto rest = path.find("...}"); rest != std::string::npos) path.erase(rest, 3);
        served.insert(lower + " " + path + " " + auth::permission_name(r.permission));
    }
    const auto document = nlohmann::json::parse(openapi_document());
    EXPECT_EQ(document["openapi"], "3.1.0");
    std::set<std::string> described;
    for (const auto& [path, operations] : document["paths"].items()) {
        for (const auto& [method, operation] : operations.items()) {
            described.insert(method + " " + path + " " +
                             operation.value("x-permission", std::string("(none given)")));
            EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
        }
    }
    EXPECT_EQ(described, served);
}

}  // namespace
}  // namespace kompo::server
