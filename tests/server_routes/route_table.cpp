#include "server_routes/route_table.hpp"

#include <unistd.h>

#include <filesystem>

#include "platform/platform.hpp"
#include "server/connections.hpp"
#include "server/event_hub.hpp"
#include "server/metrics.hpp"
#include "server/routes.hpp"

namespace kompo::test {

std::vector<RouteEntry> server_route_table(const std::string& web_root) {
    using namespace kompo::server;
    // Not scratch_dir(): that empties the running test's folder, its server's data too.
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kompo-route-table-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    platform::Config config;
    config.data_dir = dir.string();
    config.cache_size = "1G";
    config.server.web_root = web_root;
    auto platform = platform::open_platform(config);
    Log log("text");
    EventHub events(*platform, log);
    Metrics metrics(*platform, events);
    Connections connections(16);
    auth::Accounts accounts(platform->account_store);
    platform::Quotas quotas(platform->tenant_store, config.quotas);
    auth::RateLimiter logins(1, 1);
    platform::AnalysisRuns analyses(0, {});
    platform::RenderStatusCache render_statuses(1);
    ServiceContext services{*platform, config, log,    events,   metrics,        connections,
                            accounts,  quotas, logins, analyses, render_statuses};
    Router router;
    add_routes(router, services);

    std::vector<RouteEntry> table;
    for (const auto& r : router.routes()) {
        const auto method = r.stream ? std::string("GET") : std::string(http::to_string(r.method));
        table.push_back({method, r.pattern, auth::permission_name(r.permission), r.documented,
                         static_cast<bool>(r.stream)});
    }
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
    return table;
}

}  // namespace kompo::test
