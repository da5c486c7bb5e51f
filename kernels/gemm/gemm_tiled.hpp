#pragma once
// Declaration of the `kokkos_tiled` GEMM variant: its tunable axes and constraints (this file,
// host-only), its launch (gemm_tiled_impl.hpp, Kokkos). The work model is the GEMM kernel's
// (gemm_kernel.cpp): 2*M*N*K FLOPs on the SIMT/vector units.
//
// Algorithm: each Kokkos team computes a tile_m x tile_n tile of C, walking K in steps of tile_k.
// Each (thread, vector lane) of the team owns reg_m x reg_n micro-tiles held in registers. With
// `stage` = l0/l1 the team first copies the A and B panels of the current K step into team scratch
// (A transposed, both zero-padded to whole micro-tiles, so the inner loop has no bounds checks);
// with `stage` = none the micro-tiles read A and B straight from memory (and edge micro-tiles take
// a guarded path). With `accumulate` = registers (the GPU structure, gemm_resident_impl.hpp) each
// thread owns exactly one micro-tile for the whole K loop, the panels are double-buffered in
// scratch, and C is written once.
#include <string>

#include "kernels/dtype.hpp"
#include "kernels/value_list.hpp"
#include "tuner/bound_space.hpp"

namespace ridgeline::kernels {

struct gemm_tiled_config {
  int tile_m = 0, tile_n = 0, tile_k = 0;
  int reg_m = 0, reg_n = 0;
  int team_size = 0, vector_length = 0;
  int stage = 0;         // 0 = none (read global memory), 1 = scratch level 0, 2 = scratch level 1
  int panel_layout = 0;  // 0 = rows, 1 = micro (per-micro-tile contiguous blocks)
  int accumulate = 0;    // 0 = c (each K step adds into C), 1 = registers (gemm_resident_impl.hpp)
};

// Register-tile sizes the kernel is compiled for (each pair is a template instantiation): the
// values of the reg_m and reg_n axes.
using gemm_reg_m = value_list<1, 2, 4, 6, 8>;
using gemm_reg_n = value_list<4, 8, 16, 32>;

// The axes bound to gemm_tiled_config, constraints and defaults (gemm_tiled.cpp says where each
// default comes from).
const tuner::bound_space<gemm_tiled_config>& gemm_tiled_axes();

// The default configuration for a backend and dtype: the axes' default, with the host register
// tile sized in vectors of the build's ISA (gemm_tiled.cpp).
tuner::config gemm_tiled_default(const std::string& backend, dtype t);

}  // namespace ridgeline::kernels
