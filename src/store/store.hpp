#pragma once
// A store backend: it persists the rows that workflow, auth and platform declare (each in
// its own `rows.hpp`, with the small interfaces it reads and writes them through) and runs
// their transactions. It defines no rows and decides nothing: what a state means, which
// steps are claimable, which executions are unfinished are the workflow's, handed in as
// values. Only `platform::open_platform` names this header; every other module sees its
// own `Transactional<Rows>`.
#include <memory>
#include <string>

#include "auth/rows.hpp"
#include "platform/rows.hpp"
#include "workflow/rows.hpp"

namespace kompo::store {

class Store : public workflow::WorkflowStore,
              public auth::AccountStore,
              public platform::TenantStore {
  public:
    using auth::AccountStore::read;
    using auth::AccountStore::write;
    using platform::TenantStore::read;
    using platform::TenantStore::write;
    using workflow::WorkflowStore::read;
    using workflow::WorkflowStore::write;

    virtual std::string url() const = 0;
};

// "sqlite:PATH" (PATH relative to the working directory). Creates the database and
// brings its schema up to date. Throws Error(invalid_input) naming `--store` for an
// unknown scheme, Error(io) when the file cannot be opened.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace kompo::store
