// Feeds arbitrary bytes to the komposition parser. A kompo::Error from parse() or
// validate() is a correct answer to bad input; anything else escaping, a sanitizer report,
// or a broken invariant below is a bug.
//
// Invariants for every document parse() accepts:
//  - its canonical text parses again (the canonical form is itself a valid document);
//  - the canonical form of that is the same text (idempotent);
//  - validate() says the same about both (canonicalising changes no meaning).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "komposition/komposition.hpp"

namespace {

using kompo::komp::Komposition;

// "" when valid, else the error message.
std::string verdict_of(const Komposition& k) {
    try {
        kompo::komp::validate(k);
        return "";
    } catch (const kompo::Error& e) {
        return e.what();
    }
}

[[noreturn]] void broken(const char* invariant, const std::string& detail) {
    std::fprintf(stderr, "invariant broken: %s\n%s\n", invariant, detail.c_str());
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Komposition first;
    try {
        first = kompo::komp::parse(text, "fuzz.json");
    } catch (const kompo::Error&) {
        return 0;
    }
    const std::string verdict = verdict_of(first);
    const std::string canonical = kompo::komp::to_canonical_text(first);

    Komposition second;
    try {
        second = kompo::komp::parse(canonical, "canonical.json");
    } catch (const kompo::Error& e) {
        broken("the canonical form parses", std::string(e.what()) + "\n" + canonical);
    }
    const std::string again = kompo::komp::to_canonical_text(second);
    if (again != canonical) broken("canonical form is idempotent", canonical + "\n---\n" + again);
    if (verdict_of(second) != verdict) {
        broken("validate agrees on the canonical form", verdict + "\n---\n" + verdict_of(second));
    }
    return 0;
}
