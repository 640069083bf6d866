#pragma once
// Sets of workflow states in a query (the claim rule, the unfinished states), handed in by
// the workflow and stored by name: each state becomes a bound parameter, numbered on
// from `first`, so the store holds no list of its own.
#include <string>
#include <vector>

#include "store/row_names.hpp"
#include "store/sqlite_handles.hpp"
#include "workflow/vocabulary.hpp"

namespace kompo::store {

class StateLists {
  public:
    explicit StateLists(int first) : first_(first) {}

    // "?n, ?n+1, ..." for `states` (empty for none: `IN ()` is false in SQLite).
    template <typename State>
    std::string add(const std::vector<State>& states) {
        std::string list;
        for (const auto state : states) {
            if (!list.empty()) list += ", ";
            list += "?" + std::to_string(first_ + static_cast<int>(names_.size()));
            names_.push_back(stored_name(state));
        }
        return list;
    }

    void bind(Statement& statement) const {
        for (std::size_t i = 0; i < names_.size(); ++i) {
            statement.bind(first_ + static_cast<int>(i), names_[i]);
        }
    }

  private:
    int first_;
    std::vector<const char*> names_;
};

}  // namespace kompo::store
