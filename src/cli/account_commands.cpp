#include "cli/account_commands.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "auth/accounts.hpp"
#include "auth/audit.hpp"
#include "auth/secrets.hpp"
#include "cli/exit_codes.hpp"
#include "core/error.hpp"
#include "platform/config.hpp"
#include "platform/quotas.hpp"

namespace kompo::cli {

namespace {

using nlohmann::json;

// A password from stdin (one line), or a new random one that is printed once.
std::string password_of(const AccountFlags& f, bool& generated) {
    generated = !f.password_stdin;
    if (generated) return auth::new_secret("pw").substr(3, 20);
    std::string line;
    std::getline(std::cin, line);
    return line;
}

// What was done from the command line is audited too: the actor is the local user.
void audit_cli(platform::Platform& platform, const std::string& action, const std::string& target,
               const std::string& tenant) {
    const char* login = getlogin();
    auth::AuditRecord record;
    record.actor = std::string("cli:") + (login ? login : std::to_string(getuid()));
    record.tenant = tenant;
    record.action = action;
    record.target = target;
    record.remote = "local";
    auth::record_audit(platform.account_store, record);
}

int user_add(platform::Platform& p, const AccountFlags& f) {
    bool generated = false;
    const auto password = password_of(f, generated);
    auth::Accounts(p.account_store).add_user(f.name, password, f.tenant, f.role);
    audit_cli(p, "user.add", f.name, f.tenant);
    std::printf("user %s added to tenant %s as %s\n", f.name.c_str(), f.tenant.c_str(),
                f.role.c_str());
    if (generated) std::printf("password: %s (shown this once)\n", password.c_str());
    return kOk;
}

int user_list(platform::Platform& p, const AccountFlags& f) {
    json users = json::array();
    for (const auto& view : auth::Accounts(p.account_store).list()) {
        json tenants = json::object();
        for (const auto& m : view.memberships) tenants[m.tenant] = m.role;
        users.push_back({{"name", view.user.name},
                         {"tenants", tenants},
                         {"disabled", view.user.disabled},
                         {"locked_until", view.user.locked_until}});
        if (f.json) continue;
        std::string roles;
        for (const auto& m : view.memberships) roles += " " + m.tenant + ":" + m.role;
        std::printf("%-24s%s%s\n", view.user.name.c_str(), roles.c_str(),
                    view.user.disabled ? "  (disabled)" : "");
    }
    if (f.json) std::printf("%s\n", users.dump(2).c_str());
    return kOk;
}

int user_disable(platform::Platform& p, const AccountFlags& f, bool disabled) {
    auth::Accounts(p.account_store).set_disabled(f.name, disabled);
    audit_cli(p, disabled ? "user.disable" : "user.enable", f.name, "");
    std::printf("user %s %s\n", f.name.c_str(), disabled ? "disabled (signed out)" : "enabled");
    return kOk;
}

int user_reset(platform::Platform& p, const AccountFlags& f) {
    bool generated = false;
    const auto password = password_of(f, generated);
    auth::Accounts(p.account_store).reset_password(f.name, password);
    audit_cli(p, "user.reset_password", f.name, "");
    std::printf("password of %s reset; its sessions are signed out\n", f.name.c_str());
    if (generated) std::printf("password: %s (shown this once)\n", password.c_str());
    return kOk;
}

int user_grant(platform::Platform& p, const AccountFlags& f) {
    auth::Accounts(p.account_store).grant(f.name, f.tenant, f.role);
    audit_cli(p, "user.grant", f.name + " " + f.role, f.tenant);
    std::printf("user %s is %s in tenant %s\n", f.name.c_str(), f.role.c_str(), f.tenant.c_str());
    return kOk;
}

int user_link(platform::Platform& p, const AccountFlags& f) {
    auth::Accounts(p.account_store).link_subject(f.name, f.subject);
    audit_cli(p, "user.link_sso", f.name + " " + f.subject, "");
    std::printf("user %s signs in as \"%s\"\n", f.name.c_str(), f.subject.c_str());
    return kOk;
}

int token_add(platform::Platform& p, const AccountFlags& f) {
    const auto kind = f.kind == "worker" ? auth::CredentialKind::worker : auth::CredentialKind::api;
    const auto issued = auth::Accounts(p.account_store).issue_for(f.name, f.tenant, kind, f.label);
    audit_cli(p, "token.create", issued.credential.id, issued.credential.tenant);
    std::printf("%s\n", issued.secret.c_str());
    return kOk;
}

int audit_read(platform::Platform& p, const AccountFlags& f) {
    auth::AuditQuery query;
    query.tenant = f.tenant == "default" && !f.json ? "" : f.tenant;
    query.actor = f.actor;
    query.limit = static_cast<std::size_t>(std::max<std::int64_t>(1, f.limit));
    for (const auto& e : auth::audit_entries(p.account_store, query))
        std::printf("%s\n", auth::audit_line(e).c_str());
    return kOk;
}

int quota_show(platform::Platform& p, const platform::Quotas& quotas, const AccountFlags& f) {
    const auto limits = quotas.limits(f.tenant);
    const auto used = quotas.usage(f.tenant);
    std::printf("tenant %s\n", f.tenant.c_str());
    std::printf("  storage            %lld of %lld bytes\n",
                static_cast<long long>(used.storage_bytes),
                static_cast<long long>(limits.storage_bytes));
    std::printf("  concurrent renders %lld of %lld\n", static_cast<long long>(used.running_renders),
                static_cast<long long>(limits.concurrent_renders));
    std::printf("  renders today      %lld of %lld\n", static_cast<long long>(used.renders_today),
                static_cast<long long>(limits.renders_per_day));
    std::printf("  one upload         at most %lld bytes\n",
                static_cast<long long>(limits.upload_bytes));
    (void)p;
    return kOk;
}

int quota_set(platform::Platform& p, platform::Quotas& quotas, const AccountFlags& f) {
    auth::check_tenant(f.tenant);
    const auto size = [](const std::string& text, const char* flag) {
        return text.empty() ? std::int64_t{-1} : platform::parse_size(text, flag);
    };
    quotas.set({f.tenant, size(f.storage, "--storage"), f.concurrent_renders, f.renders_per_day,
                size(f.upload, "--upload")});
    audit_cli(p, "quota.set", f.tenant, f.tenant);
    return quota_show(p, quotas, f);
}

CLI::App* with_name(CLI::App* cmd, AccountFlags& f) {
    cmd->add_option("name", f.name, "User name")->required();
    return cmd;
}

void add_user_commands(CLI::App& app, AccountFlags& f, SettingFlags& store,
                       void (*add_store_flags)(CLI::App*, SettingFlags&)) {
    auto* user = app.add_subcommand("user", "Manage users: add, list, disable, reset-password...");
    user->require_subcommand(1);
    auto* add = with_name(user->add_subcommand("add", "Add a user (prints a new password)"), f);
    add->add_option("--tenant", f.tenant, "Tenant the user belongs to (default: default)");
    add->add_option("--role", f.role,
                    "viewer, editor, producer, admin or operator (default: editor)");
    add->add_flag("--password-stdin", f.password_stdin, "Read the password from stdin");
    auto* list = user->add_subcommand("list", "List users, their tenants and roles");
    list->add_flag("--json", f.json, "As JSON");
    with_name(user->add_subcommand("disable", "Disable a user and sign them out everywhere"), f);
    with_name(user->add_subcommand("enable", "Enable a disabled user"), f);
    auto* reset = with_name(
        user->add_subcommand("reset-password", "New password (prints it); signs sessions out"), f);
    reset->add_flag("--password-stdin", f.password_stdin, "Read the password from stdin");
    auto* grant = with_name(user->add_subcommand("grant", "Give a user a role in a tenant"), f);
    grant->add_option("--tenant", f.tenant, "Tenant")->required();
    grant->add_option("--role", f.role, "viewer, editor, producer, admin or operator")->required();
    auto* link = with_name(user->add_subcommand("link-sso", "Let a single sign-on identity in"), f);
    link->add_option("--subject", f.subject, "\"<issuer> <sub>\" of the identity")->required();
    for (auto* cmd : user->get_subcommands({})) add_store_flags(cmd, store);
}

}  // namespace

void add_account_commands(CLI::App& app, AccountFlags& f, SettingFlags& store,
                          void (*add_store_flags)(CLI::App*, SettingFlags&)) {
    add_user_commands(app, f, store, add_store_flags);

    auto* token = app.add_subcommand("token", "Make API or worker tokens");
    token->require_subcommand(1);
    auto* add = token->add_subcommand("add", "Make a token for a user (prints it once)");
    add->add_option("--user", f.name, "Its user")->required();
    add->add_option("--tenant", f.tenant, "Its tenant (default: default)");
    add->add_option("--kind", f.kind, "api or worker")->check(CLI::IsMember({"api", "worker"}));
    add->add_option("--label", f.label, "What it is for");
    add_store_flags(add, store);

    auto* audit = app.add_subcommand("audit", "Read the audit log, oldest first");
    audit->add_option("--tenant", f.tenant, "Only this tenant's entries");
    audit->add_option("--actor", f.actor, "Only this user's entries");
    audit->add_option("--limit", f.limit, "At most this many entries");
    add_store_flags(audit, store);

    auto* quota = app.add_subcommand("quota", "Show or set a tenant's quotas");
    quota->require_subcommand(1);
    auto* show = quota->add_subcommand("show", "Limits and usage of a tenant");
    show->add_option("tenant", f.tenant, "Tenant")->required();
    auto* set = quota->add_subcommand("set", "Set a tenant's own limits");
    set->add_option("tenant", f.tenant, "Tenant")->required();
    set->add_option("--storage", f.storage, "Media bytes, e.g. 100G");
    set->add_option("--concurrent-renders", f.concurrent_renders, "Renders at once");
    set->add_option("--renders-per-day", f.renders_per_day, "Renders a day");
    set->add_option("--upload", f.upload, "Largest upload, e.g. 4G");
    add_store_flags(show, store);
    add_store_flags(set, store);
}

std::optional<int> run_account_command(const CLI::App& app, const AccountFlags& f,
                                       const SettingFlags& settings) {
    const auto open = [&] { return platform::open_platform(load_settings(settings).config); };
    if (const auto* user = app.get_subcommand("user"); user->parsed()) {
        auto p = open();
        if (user->got_subcommand("add")) return user_add(*p, f);
        if (user->got_subcommand("list")) return user_list(*p, f);
        if (user->got_subcommand("disable")) return user_disable(*p, f, true);
        if (user->got_subcommand("enable")) return user_disable(*p, f, false);
        if (user->got_subcommand("reset-password")) return user_reset(*p, f);
        if (user->got_subcommand("grant")) return user_grant(*p, f);
        return user_link(*p, f);
    }
    if (app.got_subcommand("token")) return token_add(*open(), f);
    if (app.got_subcommand("audit")) return audit_read(*open(), f);
    if (const auto* quota = app.get_subcommand("quota"); quota->parsed()) {
        const auto config = load_settings(settings).config;
        auto p = platform::open_platform(config);
        platform::Quotas quotas(p->tenant_store, config.quotas, p->data_dir);
        if (quota->got_subcommand("set")) return quota_set(*p, quotas, f);
        return quota_show(*p, quotas, f);
    }
    return std::nullopt;
}

}  // namespace kompo::cli
