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
#include "core/change_signal.hpp"
#include "platform/rows.hpp"
#include "workflow/rows.hpp"

namespace kompo::store {

// Ends what Store::read_together began when destroyed.
class ReadScope {
  public:
    virtual ~ReadScope() = default;
};

// Every module's rows in one transaction.
class StoreRows : public workflow::WorkflowRows,
                  public auth::AccountRows,
                  public platform::TenantRows {};

class Store : public workflow::WorkflowStore,
              public auth::AccountStore,
              public platform::TenantStore {
  public:
    // Every module's rows in one transaction: what each module's view below runs through,
    // and what the backend's own tests use. `body` must not call back into this store.
    using Body = std::function<void(StoreRows&)>;
    virtual void write_all(const Body& body) = 0;
    virtual void read_all(const Body& body) = 0;

    // Until the scope it returns is destroyed, this thread's reads of this store are one
    // read transaction (one snapshot, begun by the first of them, ended with the scope):
    // for a few brief reads that belong together, such as a request's credential check
    // and its answer, which then pay for one transaction instead of two. Writes are not
    // part of it (a read in the scope does not see them). A backend may keep running the
    // reads apart: this default does.
    virtual std::unique_ptr<ReadScope> read_together();

    // The url it was opened with, without a password.
    virtual std::string url() const = 0;

    // Hints that another process changed the rows (core/change_signal.hpp). A backend
    // that sends none (SQLite) leaves this one, which never wakes anyone.
    virtual ChangeSignal& changes() { return no_changes_; }

    // Each module's transaction is the same one, seen through that module's rows.
    void write(const std::function<void(workflow::WorkflowRows&)>& body) final;
    void read(const std::function<void(workflow::WorkflowRows&)>& body) final;
    void write(const std::function<void(auth::AccountRows&)>& body) final;
    void read(const std::function<void(auth::AccountRows&)>& body) final;
    void write(const std::function<void(platform::TenantRows&)>& body) final;
    void read(const std::function<void(platform::TenantRows&)>& body) final;

  private:
    NoChangeSignal no_changes_;
};

// "sqlite:PATH" (PATH relative to the working directory), or "postgres://USER@HOST/DB"
// ("postgresql://" too: libpq's connection URI). Creates the SQLite file (a PostgreSQL
// database must exist) and brings its schema up to date. Throws Error(invalid_input) naming
// `--store` for an unknown scheme, Error(io) when the file cannot be opened or the server
// not reached.
std::unique_ptr<Store> open_store(const std::string& url);

}  // namespace kompo::store
