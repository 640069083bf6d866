#pragma once
// A real platform (SQLite in a scratch folder) with a komposition and media for the
// assistant's tests: tenant t1 holds "Demo" (tests/assistant/base_komposition.json) and
// the media of tests/assistant/media.json; tenant t2 holds "Secret".
#include <filesystem>
#include <memory>

#include "assistant/assistant.hpp"
#include "komposition/komposition.hpp"
#include "platform/documents.hpp"
#include "platform/quotas.hpp"

namespace kompo::assistant::test {

std::filesystem::path corpus_dir();
nlohmann::json read_json(const std::filesystem::path& file);
std::vector<nlohmann::json> read_lines(const std::filesystem::path& file);

auth::Principal principal(const std::string& tenant, auth::Role role,
                          const std::string& name = "ed");

struct AssistantWorld {
    explicit AssistantWorld(AssistantLimits limits = {});

    std::int64_t now = 1'700'000'000'000;  // the assistant's clock, moved by tests
    std::unique_ptr<platform::Platform> platform;
    platform::QuotaSettings quota_settings;
    std::unique_ptr<platform::Quotas> quotas;
    std::unique_ptr<Assistant> assistant;
    auth::Principal editor = principal("t1", auth::Role::editor);

    komp::Json stored(const std::string& tenant, const std::string& id);
    std::size_t renders(const std::string& tenant);
};

}  // namespace kompo::assistant::test
