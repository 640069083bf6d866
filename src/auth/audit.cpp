#include "auth/audit.hpp"

#include "core/utc_time.hpp"

namespace kompo::auth {

AuditRecord audit_of(const Principal& principal, std::string action, std::string target,
                     std::string remote) {
    AuditRecord record;
    record.actor = principal.user_name;
    record.tenant = principal.tenant;
    record.action = std::move(action);
    record.target = std::move(target);
    record.remote = std::move(remote);
    return record;
}

void record_audit(AccountStore& store, const AuditRecord& r) {
    const AuditEntry entry{0,        now_millis(), r.actor,  r.tenant,       r.action,
                           r.target, r.outcome,    r.remote, r.detail.dump()};
    store.write([&](AccountRows& tx) { tx.append_audit(entry); });
}

std::vector<AuditEntry> audit_entries(AccountStore& store, const AuditQuery& query) {
    std::vector<AuditEntry> entries;
    store.read([&](AccountRows& tx) { entries = tx.audit(query); });
    return entries;
}

std::string audit_line(const AuditEntry& e) {
    const auto who = (e.actor.empty() ? std::string("-") : e.actor) +
                     (e.tenant.empty() ? std::string() : "@" + e.tenant);
    std::string line = utc_text(e.at, true) + "  " + e.outcome + "  " + who + "  " + e.action;
    if (!e.target.empty()) line += "  " + e.target;
    if (!e.remote.empty()) line += "  from " + e.remote;
    if (!e.detail.empty() && e.detail != "{}") line += "  " + e.detail;
    return line;
}

}  // namespace kompo::auth
