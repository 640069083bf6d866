// Connecting, migrating, and the transaction loop that every read and write runs through.
#include "store/postgres_store.hpp"

#include <random>
#include <regex>
#include <thread>

#include "store/migrations.hpp"

namespace kompo::store {

namespace {

using Clock = std::chrono::steady_clock;

// Keys of PostgreSQL's advisory locks that the store takes (any 64-bit number no other
// user of the database takes).
constexpr std::int64_t kMigrationLock = 0x6b6f6d706f000001;  // "kompo" 1

// The url as it may be shown: "postgres://user:secret@host" loses its secret.
std::string without_password(const std::string& url) {
    static const std::regex password(R"(^(postgres(?:ql)?://[^:/@]*):[^@/]*@)");
    return std::regex_replace(url, password, "$1:***@");
}

void back_off() {
    // Random, so that transactions that collided do not collide again in step.
    thread_local std::minstd_rand random(std::random_device{}());
    std::uniform_int_distribution<int> millis(1, 20);
    std::this_thread::sleep_for(std::chrono::milliseconds(millis(random)));
}

using WriteTransaction = pqxx::transaction<pqxx::serializable, pqxx::read_write>;
using ReadTransaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

}  // namespace

[[noreturn]] void rethrow_as_store_error(const std::string& server) {
    try {
        throw;
    } catch (const Error&) {
        throw;
    } catch (const pqxx::transaction_rollback& error) {  // 40001, 40P01 and kin
        throw Conflict("store: " + server + ": " + error.what());
    } catch (const pqxx::in_doubt_error& error) {
        throw Error::io("store: " + server +
                        ": the connection broke during COMMIT; whether it committed is unknown: " +
                        error.what());
    } catch (const pqxx::broken_connection& error) {
        throw ConnectionLost("store: " + server + ": " + error.what());
    } catch (const pqxx::failure& error) {
        std::string message = error.what();
        while (!message.empty() && message.back() == '\n') message.pop_back();
        throw Error::internal("store: " + server + ": " + message);
    }
}

std::string text(const pqxx::field& field) {
    if (field.is_null()) return {};
    return {field.c_str(), field.size()};
}

std::int64_t integer(const pqxx::field& field) {
    if (field.is_null()) return 0;
    return field.as<std::int64_t>();
}

PostgresStore::PostgresStore(std::string url, Patience patience, std::size_t connections)
    : url_(std::move(url)),
      shown_url_(without_password(url_)),
      patience_(patience),
      pool_(url_, shown_url_, connections),
      listener_(url_) {
    migrate();
}

std::string PostgresStore::url() const {
    return shown_url_;
}

// Each version in its own transaction, under a lock that every process migrating the same
// database takes: one migrates, the others then find the version recorded. READ
// COMMITTED, so that what the lock's holder committed is seen once the lock is ours.
void PostgresStore::migrate() {
    const auto scripts = postgres_migrations();
    for (std::size_t index = 0; index < scripts.size(); ++index) {
        const auto version = static_cast<std::int64_t>(index) + 1;
        auto lease = pool_.acquire(Clock::now() + patience_.retry_budget);
        try {
            pqxx::work tx(*lease);
            tx.exec_params("SELECT pg_advisory_xact_lock($1)", kMigrationLock);
            tx.exec(
                "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT PRIMARY KEY, "
                "applied_at BIGINT NOT NULL)");
            const auto recorded =
                tx.exec1("SELECT COALESCE(MAX(version), 0) FROM schema_version")[0]
                    .as<std::int64_t>();
            if (recorded >= version) continue;
            tx.exec(scripts[index]);
            tx.exec_params("INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)",
                           version, now_millis());
            tx.commit();
        } catch (...) {
            rethrow_as_store_error(shown_url_);
        }
    }
}

void PostgresStore::write_all(const Body& body) {
    transact(Mode::write, body);
}

void PostgresStore::read_all(const Body& body) {
    transact(Mode::read, body);
}

// Reruns `body` after a conflict until the budget is spent, and once after the connection
// broke (on a fresh one: the pool reconnects with backoff while the server is away).
void PostgresStore::transact(Mode mode, const Body& body) {
    const auto deadline = Clock::now() + patience_.retry_budget;
    bool reconnected = false;
    for (;;) {
        auto lease = pool_.acquire(deadline);
        try {
            return attempt(*lease, mode, body);
        } catch (const Conflict&) {
            if (Clock::now() >= deadline) {
                throw Error::internal("store: " + shown_url_ + ": conflicting transactions for " +
                                      std::to_string(patience_.retry_budget.count()) +
                                      " ms; gave up");
            }
            back_off();
        } catch (const ConnectionLost&) {
            lease.drop();
            if (reconnected) throw;
            reconnected = true;
        }
    }
}

void PostgresStore::attempt(pqxx::connection& connection, Mode mode, const Body& body) {
    try {
        std::unique_ptr<pqxx::transaction_base> tx;
        if (mode == Mode::write) {
            tx = std::make_unique<WriteTransaction>(connection);
        } else {
            tx = std::make_unique<ReadTransaction>(connection);
        }
        PostgresTransaction rows(*tx, mode == Mode::read, shown_url_);
        body(rows);
        if (rows.failure()) std::rethrow_exception(rows.failure());
        tx->commit();
    } catch (...) {
        rethrow_as_store_error(shown_url_);
    }
}

}  // namespace kompo::store
