#pragma once
// The audit log: who did what, when, from where. Appended to the store (which refuses to
// change or delete it) and read by `kompo audit`.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/principal.hpp"
#include "auth/rows.hpp"

namespace kompo::auth {

struct AuditRecord {
    std::string actor;
    std::string tenant;
    std::string action;
    std::string target;
    std::string outcome = "ok";
    std::string remote;
    nlohmann::json detail = nlohmann::json::object();
};

AuditRecord audit_of(const Principal& principal, std::string action, std::string target,
                     std::string remote);
void record_audit(AccountStore& store, const AuditRecord& record);
// The entries matching `query`, oldest first.
std::vector<AuditEntry> audit_entries(AccountStore& store, const AuditQuery& query);
// One line per entry: time, outcome, actor@tenant, action, target, remote, detail.
std::string audit_line(const AuditEntry& entry);

}  // namespace kompo::auth
