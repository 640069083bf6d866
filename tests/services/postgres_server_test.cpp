// The test run's own PostgreSQL server (support/postgres_server.hpp): what a store test
// relies on, checked with a real client (libpqxx).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "support/postgres_server.hpp"
#include "support/support.hpp"

namespace kompo::test {
namespace {

namespace fs = std::filesystem;

TEST(PostgresServer, KeepsWhatWasInsertedAcrossARestart) {
    PostgresServer server;
    pqxx::connection before(server.url());
    {
        pqxx::work tx(before);
        tx.exec0("CREATE TABLE renders (id TEXT PRIMARY KEY, frames INTEGER NOT NULL)");
        tx.exec0("INSERT INTO renders VALUES ('a', 120), ('b', 48), ('c', 2)");
        tx.commit();
    }
    pqxx::nontransaction read(before);
    EXPECT_EQ(read.exec1("SELECT SUM(frames) FROM renders")[0].as<int>(), 170);

    server.restart();

    // The old session died with the server; a new one finds every committed row.
    EXPECT_THROW(read.exec1("SELECT 1"), pqxx::broken_connection);
    pqxx::connection after(server.url());
    pqxx::nontransaction again(after);
    const auto rows = again.exec("SELECT id, frames FROM renders ORDER BY id");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0][0].as<std::string>(), "a");
    EXPECT_EQ(rows[0][1].as<int>(), 120);
    EXPECT_EQ(rows[2][1].as<int>(), 2);
}

TEST(PostgresServer, IsPrivateToTheRunAndGoneAfterIt) {
    int port = 0;
    fs::path folder;
    fs::path pg_isready;
    {
        PostgresServer server;
        port = server.port();
        folder = server.folder();
        pqxx::connection connection(server.create_database("store_suite"));
        pqxx::nontransaction tx(connection);
        EXPECT_EQ(tx.exec1("SELECT current_database()")[0].as<std::string>(), "store_suite");
        EXPECT_EQ(tx.exec1("SHOW listen_addresses")[0].as<std::string>(), "127.0.0.1");
        EXPECT_EQ(tx.exec1("SHOW unix_socket_directories")[0].as<std::string>(), folder.string());
        // As root the cluster belongs to an unprivileged user: PostgreSQL refuses root.
        if (::geteuid() == 0) {
            struct stat data {};
            ASSERT_EQ(::stat((folder / "data").c_str(), &data), 0);
            EXPECT_NE(data.st_uid, 0u);
        }
        pg_isready = server.binaries() / "pg_isready";
    }
    EXPECT_FALSE(fs::exists(folder));
    const auto probe =
        run({pg_isready.string(), "--host", "127.0.0.1", "--port", std::to_string(port)});
    EXPECT_EQ(probe.exit_code, 2) << "pg_isready: " << probe.out;  // 2: no answer
}

}  // namespace
}  // namespace kompo::test
