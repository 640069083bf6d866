// Each module's view of a store: the one transaction of every module's rows, narrowed.
#include "store/store.hpp"

namespace kompo::store {

std::unique_ptr<ReadScope> Store::read_together() {
    return std::make_unique<ReadScope>();
}

void Store::write(const std::function<void(workflow::WorkflowRows&)>& body) {
    write_all([&](StoreRows& rows) { body(rows); });
}
void Store::read(const std::function<void(workflow::WorkflowRows&)>& body) {
    read_all([&](StoreRows& rows) { body(rows); });
}
void Store::write(const std::function<void(auth::AccountRows&)>& body) {
    write_all([&](StoreRows& rows) { body(rows); });
}
void Store::read(const std::function<void(auth::AccountRows&)>& body) {
    read_all([&](StoreRows& rows) { body(rows); });
}
void Store::write(const std::function<void(platform::TenantRows&)>& body) {
    write_all([&](StoreRows& rows) { body(rows); });
}
void Store::read(const std::function<void(platform::TenantRows&)>& body) {
    read_all([&](StoreRows& rows) { body(rows); });
}

}  // namespace kompo::store
