// The OpenAPI document describes exactly the routes the server has: every documented
// route is in it with its method and the permission it needs (x-permission), and it
// names no route the server lacks. The role and tenant matrices enumerate the same
// route table (tests/server_routes), so the document describes what they test.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "server/openapi_document.hpp"
#include "server_routes/route_table.hpp"

namespace kompo::server {
namespace {

TEST(OpenApi, DescribesExactlyTheRoutesOfTheRouter) {
    std::set<std::string> served;
    for (const auto& r : test::server_route_table()) {
        if (!r.documented) continue;
        std::string lower;
        for (char c : r.method) lower += static_cast<char>(std::tolower(c));
        // A "{name...}" rest parameter is written "{name}" in OpenAPI.
        auto path = r.pattern;
        if (const auto rest = path.find("...}"); rest != std::string::npos) path.erase(rest, 3);
        served.insert(lower + " " + path + " " + r.permission);
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
