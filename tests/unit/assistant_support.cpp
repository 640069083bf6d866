#include "assistant_support.hpp"

#include <fstream>

#include "platform/renders.hpp"
#include "support/support.hpp"

namespace kompo::assistant::test {

std::filesystem::path corpus_dir() {
    return KOMPO_ASSISTANT_CORPUS;
}

nlohmann::json read_json(const std::filesystem::path& file) {
    std::ifstream in(file);
    return nlohmann::json::parse(in);
}

std::vector<nlohmann::json> read_lines(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::vector<nlohmann::json> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
    }
    return lines;
}

auth::Principal principal(const std::string& tenant, auth::Role role, const std::string& name) {
    auth::Principal p;
    p.user_id = "u-" + name;
    p.user_name = name;
    p.tenant = tenant;
    p.role = role;
    p.kind = auth::CredentialKind::api;
    return p;
}

AssistantWorld::AssistantWorld(AssistantLimits limits) {
    platform::Config config;
    config.data_dir = kompo::test::scratch_dir().string();
    config.cache_size = "1G";
    platform = platform::open_platform(config);
    quotas = std::make_unique<platform::Quotas>(platform->tenant_store, quota_settings);
    assistant = std::make_unique<Assistant>(*platform, *quotas, AssistantSettings{limits, {}},
                                            [this] { return now; });
    platform::Documents documents(platform->tenant_store);
    komp::Json base = read_json(corpus_dir() / "base_komposition.json");
    documents.put("t1", "Demo", base, {true, {}, true});
    for (const auto& medium : read_json(corpus_dir() / "media.json")) {
        const auto name = medium["name"].get<std::string>();
        documents.put("t1", name, {{"_id", name}, {"name", name}, {"type", medium["type"]}},
                      {true, {}, false});
    }
    base["_id"] = "Secret";
    documents.put("t2", "Secret", base, {true, {}, true});
}

komp::Json AssistantWorld::stored(const std::string& tenant, const std::string& id) {
    const auto found = platform::Documents(platform->tenant_store).get(tenant, id);
    return found ? komp::Json::parse(found->body) : komp::Json();
}

std::size_t AssistantWorld::renders(const std::string& tenant) {
    workflow::ExecutionQuery query;
    query.limit = 1000;
    return platform::Renders(*platform).list(tenant, query).size();
}

}  // namespace kompo::assistant::test
