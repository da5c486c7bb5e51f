#pragma once
// OpenBLAS's thread pool, sized like the Kokkos backend a BLAS-backed variant runs beside, so
// "serial" vs "openmp" compares like with like. Built only with OpenBLAS (RIDGELINE_HAVE_OPENBLAS).
#include <string>
#include <utility>
#include <vector>

namespace ridgeline::kernels {

// Gives OpenBLAS `threads` workers; returns the provenance facts of the library as it now runs:
// "blas" (its build configuration) and "blas_threads".
std::vector<std::pair<std::string, std::string>> use_openblas_threads(int threads);

}  // namespace ridgeline::kernels
