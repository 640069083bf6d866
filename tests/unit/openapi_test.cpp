// The OpenAPI document describes exactly the routes the server has: every documented
// route is in it with its method and the permission it needs (x-permission), and it
// names no route the server lacks. The role and tenant matrices enumerate the same
// route table (tests/server_routes), so the document describes what they test. The
// states, step kinds and event types it lists are the workflow's tables.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "server/openapi_document.hpp"
#include "server_routes/route_table.hpp"
#include "support/support.hpp"
#include "workflow/vocabulary.hpp"

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

// The workflow's words, in the order of their table.
template <typename Table>
nlohmann::ordered_json names_of(const Table& table) {
    auto names = nlohmann::ordered_json::array();
    for (const auto& row : table) names.push_back(row.name);
    return names;
}

// The schemas that list the workflow's vocabulary, each with the table it must equal.
std::vector<std::pair<std::string, nlohmann::ordered_json>> vocabulary_schemas() {
    return {{"RenderState", names_of(workflow::kExecutionStates)},
            {"StepState", names_of(workflow::kStepStates)},
            {"StepKind", names_of(workflow::kStepKinds)},
            {"EventType", names_of(workflow::kEventTypes)}};
}

using Table = std::set<std::string>;

// Whether `list` is made of words of `table` only: a copy of (part of) it.
bool copies_table(const nlohmann::ordered_json& list, const Table& table) {
    if (!list.is_array() || list.empty()) return false;
    for (const auto& word : list) {
        if (!word.is_string() || !table.count(word.get<std::string>())) return false;
    }
    return true;
}

// Every "enum" of the document outside those schemas that is a second, hand-kept copy
// of one of the tables.
void find_copies(const nlohmann::ordered_json& node, const std::string& where,
                 const std::vector<Table>& tables, std::vector<std::string>& copies) {
    if (node.is_object()) {
        for (const auto& [key, value] : node.items()) {
            for (const auto& table : tables) {
                if (key == "enum" && copies_table(value, table)) copies.push_back(where);
            }
            find_copies(value, where + "/" + key, tables, copies);
        }
    } else if (node.is_array()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            find_copies(node[i], where + "/" + std::to_string(i), tables, copies);
        }
    }
}

// The states, step kinds and event types the API describes are the workflow's tables: a
// change there fails here, and the fresh document is written for `cp` (as the web copy).
TEST(OpenApi, ListsTheWorkflowVocabularyFromItsTables) {
    const auto document = nlohmann::ordered_json::parse(openapi_document());
    auto expected = document;
    auto others = document;
    std::vector<Table> tables;
    for (const auto& [schema, names] : vocabulary_schemas()) {
        expected["components"]["schemas"][schema]["enum"] = names;
        others["components"]["schemas"].erase(schema);
        tables.push_back(names.get<Table>());
    }
    std::vector<std::string> copies;
    find_copies(others, "", tables, copies);
    EXPECT_TRUE(copies.empty()) << "lists workflow words by hand (use a $ref to the schema): "
                                << copies.front();
    if (document == expected) return;
    const auto fresh = test::scratch_dir() / "openapi.json";
    std::ofstream(fresh, std::ios::binary) << expected.dump(1) << "\n";
    ADD_FAILURE() << "src/server/openapi.json does not list what src/workflow/vocabulary.hpp "
                     "holds; update it:\n  cp "
                  << fresh.string() << " src/server/openapi.json";
}

}  // namespace
}  // namespace kompo::server
