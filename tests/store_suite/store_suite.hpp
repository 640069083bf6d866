#pragma once
// One store test suite, two backends: the test bodies under tests/store_suite/ are
// TEST_Ps over a `Backend`, compiled into unit_tests (on SQLite files) and into
// service_tests (on a PostgreSQL server the run starts). A body opens its stores by url
// (`store::open_store`), as the program does, and looks under them only through `query`.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace kompo::test {

// The databases of one test.
class StoreBackend {
  public:
    virtual ~StoreBackend() = default;
    // The url of an empty database `name`, new to this test.
    virtual std::string fresh_url(const std::string& name) = 0;
    // Runs raw SQL on the database at `url` past the store (a connection of its own):
    // the rows, each column as text. Throws on any error of the database.
    virtual std::vector<std::vector<std::string>> query(const std::string& url,
                                                        const std::string& sql) = 0;
    // Runs a script of several statements the same way, in one transaction.
    virtual void execute(const std::string& url, const std::string& script) = 0;
    // The backend's migration scripts (src/store/migrations.hpp).
    virtual std::vector<std::string> migrations() = 0;
};

struct Backend {
    std::string name;  // "sqlite", "postgres": the suffix of the test names
    std::function<std::unique_ptr<StoreBackend>()> make;
};

inline void PrintTo(const Backend& backend, std::ostream* out) {
    *out << backend.name;
}

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param.name;
}

// The backends of this test binary: SQLite in unit_tests (unit/store_sqlite_test.cpp),
// PostgreSQL in service_tests (services/store_postgres_test.cpp). Each file of the suite
// instantiates its fixtures on them.
std::vector<Backend> store_backends();

// The base of every fixture of the suite.
class StoreSuite : public ::testing::TestWithParam<Backend> {
  protected:
    std::unique_ptr<StoreBackend> backend = GetParam().make();
};

}  // namespace kompo::test

// At the end of each file of the suite, for each of its fixtures.
#define KOMPO_ON_EVERY_STORE(fixture)                                                              \
    INSTANTIATE_TEST_SUITE_P(Store, fixture, ::testing::ValuesIn(::kompo::test::store_backends()), \
                             ::kompo::test::backend_name)
