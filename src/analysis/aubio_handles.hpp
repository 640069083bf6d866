#pragma once
// RAII owners for the aubio objects the analysis uses (internal to src/analysis).
#include <memory>

#include <aubio/aubio.h>

namespace kompo::analysis {

struct AubioDeleter {
    void operator()(aubio_pvoc_t* p) const { del_aubio_pvoc(p); }
    void operator()(aubio_specdesc_t* s) const { del_aubio_specdesc(s); }
    void operator()(aubio_tempo_t* t) const { del_aubio_tempo(t); }
    void operator()(fvec_t* v) const { del_fvec(v); }
    void operator()(cvec_t* v) const { del_cvec(v); }
};

template <typename T>
using AubioPtr = std::unique_ptr<T, AubioDeleter>;

}  // namespace kompo::analysis
