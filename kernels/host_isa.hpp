#pragma once
// The host vector ISA the kernels were compiled for (kernels/host_simd.hpp), as the compiled
// library sees it: code built with other flags (tests, front ends) asks here instead of reading
// host_simd.hpp's constants, which follow the flags of whoever includes them.
namespace ridgeline::kernels {

struct host_vector_isa {
  const char* name = "none";  // "avx512", "avx2", "neon", "sse2"; "none" without host vectors
  int vector_bytes = 0;       // 0 without host vectors (a CUDA/HIP translation of the library)
  int vector_registers = 0;
};

host_vector_isa kernels_host_isa();

}  // namespace ridgeline::kernels
