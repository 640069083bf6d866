#include "support/postgres_server.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include "support/child_process.hpp"

namespace kompo::test {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSuperuser = "kompo";

// The newest installed server version's binaries (Debian installs them side by side).
fs::path postgres_binaries() {
    const fs::path versions = "/usr/lib/postgresql";
    fs::path newest;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(versions, ec)) {
        const auto bin = entry.path() / "bin";
        if (fs::exists(bin / "pg_ctl") && (newest.empty() || bin > newest)) newest = bin;
    }
    if (newest.empty()) {
        throw std::runtime_error(
            "no PostgreSQL server in /usr/lib/postgresql (scripts/setup "
            "installs Debian's postgresql)");
    }
    return newest;
}

fs::path make_folder() {
    const char* tmp = std::getenv("TMPDIR");
    // Short: the unix socket's path must fit in 107 bytes.
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/kompo-pg-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp " + pattern + " failed");
    return pattern;
}

}  // namespace

PostgresServer::PostgresServer() : folder_(make_folder()), bin_(postgres_binaries()) {
    if (::geteuid() == 0) {
        const passwd* user = ::getpwnam("postgres");
        if (!user) user = ::getpwnam("nobody");
        if (!user) throw std::runtime_error("running as root, and no user postgres or nobody");
        uid_ = user->pw_uid;
        gid_ = user->pw_gid;
        switch_user_ = true;
    }
    give_to_server_user(folder_);
    // A copy of a cluster made once (initdb runs PostgreSQL's bootstrap: seconds on a busy
    // machine) is as fresh as a new one: no test has ever written to the template.
    run_tool(
        {"cp", "--archive", (template_cluster() / "data").string(), (folder_ / "data").string()},
        "copying the template cluster");
    start();
}

fs::path PostgresServer::template_cluster() {
    const auto tmp = folder_.parent_path();
    const auto name = "kompo-pg-template-" + bin_.parent_path().filename().string() + "-uid" +
                      std::to_string(switch_user_ ? uid_ : ::geteuid());
    const auto final_path = tmp / name;
    if (fs::exists(final_path / "data" / "PG_VERSION")) return final_path;
    // Made aside and renamed into place: a test running at the same time sees a whole
    // template or none (and then makes its own; the second rename fails and is dropped).
    const auto draft = folder_ / "template";
    fs::create_directory(draft);
    give_to_server_user(draft);
    run_tool({(bin_ / "initdb").string(), "--pgdata", (draft / "data").string(), "--username",
              kSuperuser, "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync",
              "--no-instructions"},
             "initdb");
    std::error_code ec;
    fs::rename(draft, final_path, ec);
    if (!ec) return final_path;
    fs::remove_all(draft, ec);
    if (fs::exists(final_path / "data" / "PG_VERSION")) return final_path;
    throw std::runtime_error("cannot make the template cluster " + final_path.string());
}

void PostgresServer::give_to_server_user(const fs::path& dir) const {
    fs::permissions(dir, fs::perms::owner_all);
    if (switch_user_ && ::chown(dir.c_str(), uid_, gid_) != 0) {
        throw std::runtime_error("cannot give " + dir.string() + " to uid " + std::to_string(uid_));
    }
}

PostgresServer::~PostgresServer() {
    try {
        if (running_) stop();
    } catch (const std::exception&) {
        // The folder goes anyway; a server still running there exits when its files vanish.
    }
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

std::string PostgresServer::url(const std::string& database) const {
    return "postgresql://" + std::string(kSuperuser) + "@127.0.0.1:" + std::to_string(port_) + "/" +
           database;
}

std::string PostgresServer::create_database(const std::string& name) {
    run_tool({(bin_ / "createdb").string(), "--host", "127.0.0.1", "--port", std::to_string(port_),
              "--username", kSuperuser, name},
             "createdb " + name);
    return url(name);
}

void PostgresServer::start() {
    // The port is free when chosen but another process may take it before the server
    // binds it: then a new one is chosen, a few times.
    const bool keep_port = port_ != 0;
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (!keep_port) port_ = free_loopback_port();
        if (try_start()) return;
        if (keep_port || log().find("Address already in use") == std::string::npos) break;
    }
    throw std::runtime_error("PostgreSQL did not start on port " + std::to_string(port_) +
                             "; its log:\n" + tail_of(folder_ / "server.log"));
}

bool PostgresServer::try_start() {
    const auto options = "-c port=" + std::to_string(port_) +
                         " -c listen_addresses=127.0.0.1 -c unix_socket_directories='" +
                         folder_.string() + "' -c fsync=off -c full_page_writes=off";
    const int code = run_logged(
        as_server_user({(bin_ / "pg_ctl").string(), "--pgdata", (folder_ / "data").string(),
                        "--log", (folder_ / "server.log").string(), "--wait", "--timeout", "60",
                        "-o", options, "start"}),
        folder_ / "tools.log");
    running_ = code == 0;
    return running_;
}

void PostgresServer::stop(const std::string& mode) {
    run_tool({(bin_ / "pg_ctl").string(), "--pgdata", (folder_ / "data").string(), "--mode", mode,
              "--wait", "--timeout", "60", "stop"},
             "pg_ctl stop");
    running_ = false;
}

std::string PostgresServer::log() const {
    return tail_of(folder_ / "tools.log", 1 << 20) + tail_of(folder_ / "server.log", 1 << 20);
}

std::vector<std::string> PostgresServer::as_server_user(std::vector<std::string> argv) const {
    if (!switch_user_) return argv;
    std::vector<std::string> wrapped{"setpriv", "--reuid=" + std::to_string(uid_),
                                     "--regid=" + std::to_string(gid_), "--clear-groups", "--"};
    wrapped.insert(wrapped.end(), argv.begin(), argv.end());
    return wrapped;
}

void PostgresServer::run_tool(std::vector<std::string> argv, const std::string& what) {
    if (run_logged(as_server_user(std::move(argv)), folder_ / "tools.log") != 0) {
        throw std::runtime_error(what + " failed; the log:\n" + tail_of(folder_ / "tools.log"));
    }
}

}  // namespace kompo::test
