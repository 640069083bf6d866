#pragma once
// The edits the assistant makes to a komposition, on its canonical JSON: each keeps every
// field it does not change, and the result must pass the komposition validator.
#include <vector>

#include "assistant/interpreter.hpp"
#include "komposition/komposition.hpp"

namespace kompo::assistant {

// `edits` (already checked against edit_komposition's schema) applied in order to
// `document`; `media` is the tenant's library, where place_source also finds names.
// Returns the canonical result. Throws ToolRefused("invalid_edit") naming the edit, or
// with the validator's one line when the result is not a valid komposition.
komp::Json apply_edits(const komp::Json& document, const Json& edits,
                       const std::vector<NamedMedium>& media);

// The JSON Patch (RFC 6902) from `before` to `after`.
komp::Json patch_between(const komp::Json& before, const komp::Json& after);

}  // namespace kompo::assistant
