#pragma once
// A private PostgreSQL server for the test run (Debian's `postgresql`, binaries in
// /usr/lib/postgresql/<version>/bin): a fresh cluster in a temporary folder, listening on
// a free 127.0.0.1 port and on a unix socket in that folder, trust authentication for the
// superuser "kompo". As root (which PostgreSQL refuses to run as) its tools run as the
// unprivileged user "postgres" (made by Debian's package), else "nobody", owner of the
// folder. The cluster is a copy of a template made by initdb once per machine
// ($TMPDIR/kompo-pg-template-<version>-uid<uid>, never started). fsync is off: a stopped or killed
// server keeps its data, only a machine crash would lose it, which a test run does not survive
// anyway.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace kompo::test {

class PostgresServer {
  public:
    // initdb, then start(). Throws std::runtime_error with the server's log on failure.
    PostgresServer();
    // Stops the server (fast: open sessions are ended) and removes its folder.
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    int port() const { return port_; }
    const std::filesystem::path& folder() const { return folder_; }
    // Where initdb, pg_ctl, psql, pg_isready... of this server's version are.
    const std::filesystem::path& binaries() const { return bin_; }
    // "postgresql://kompo@127.0.0.1:PORT/DATABASE" (libpq's connection URI).
    std::string url(const std::string& database = "postgres") const;
    // Creates an empty database `name`: its url().
    std::string create_database(const std::string& name);

    // Starts the server and returns once it accepts connections (pg_ctl -w reads the
    // server's own readiness from postmaster.pid), on the same port after a stop.
    void start();
    // pg_ctl stop -m `mode`: "smart" waits for sessions, "fast" ends them, "immediate"
    // kills the server without a checkpoint (it recovers from its log at the next start).
    void stop(const std::string& mode = "fast");
    void restart() {
        stop();
        start();
    }
    bool running() const { return running_; }
    // What the server and its tools logged so far.
    std::string log() const;

  private:
    std::vector<std::string> as_server_user(std::vector<std::string> argv) const;
    void run_tool(std::vector<std::string> argv, const std::string& what);
    bool try_start();
    std::filesystem::path template_cluster();
    void give_to_server_user(const std::filesystem::path& dir) const;

    std::filesystem::path folder_;
    std::filesystem::path bin_;
    uid_t uid_ = 0;
    gid_t gid_ = 0;
    bool switch_user_ = false;
    int port_ = 0;
    bool running_ = false;
};

}  // namespace kompo::test
