# Warnings for our own targets, and the ISA choice for host code.
add_library(ridgeline_warnings INTERFACE)
target_compile_options(ridgeline_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra>)
# nvcc only WARNS (#20011-D) when a __host__ __device__ function calls a host-only one, and then
# drops the device code as undefined: every accumulate=registers GEMM kernel compiled to an empty
# body that way (issue 16, found by scripts/sass-report). Make it the error it is.
if(CMAKE_CXX_COMPILER MATCHES "nvcc_wrapper")
  target_compile_options(ridgeline_warnings INTERFACE "SHELL:-Xcudafe --diag_error=20011")
endif()

# -march=<RIDGELINE_HOST_ARCH> (default native) only when the compiler is a host compiler:
# nvcc_wrapper/hipcc builds pass their own architecture flags, and a kernel tuned for one CPU must
# not be silently run on another (the ISA the binary was built for is recorded in every
# measurement's provenance). scripts/test builds the kernels a second time with x86-64-v3 (AVX2,
# no AVX-512) to prove the explicit-vector kernels (kernels/host_simd.hpp) on a narrower ISA.
set(RIDGELINE_HOST_ARCH "native" CACHE STRING
  "Host ISA: the value of -march= (native, x86-64-v3, x86-64-v4, armv8.2-a, ...)")
add_library(ridgeline_arch INTERFACE)
if(RIDGELINE_NATIVE AND RIDGELINE_HOST_ARCH AND NOT CMAKE_CXX_COMPILER MATCHES "nvcc_wrapper|hipcc")
  include(CheckCXXCompilerFlag)
  string(MAKE_C_IDENTIFIER "${RIDGELINE_HOST_ARCH}" arch_id)
  check_cxx_compiler_flag(-march=${RIDGELINE_HOST_ARCH} RIDGELINE_HAS_MARCH_${arch_id})
  if(RIDGELINE_HAS_MARCH_${arch_id})
    target_compile_options(ridgeline_arch INTERFACE -march=${RIDGELINE_HOST_ARCH})
    set(RIDGELINE_ISA_FLAGS "-march=${RIDGELINE_HOST_ARCH}")
  elseif(NOT RIDGELINE_HOST_ARCH STREQUAL "native")
    message(FATAL_ERROR "RIDGELINE_HOST_ARCH: ${CMAKE_CXX_COMPILER} does not accept "
      "-march=${RIDGELINE_HOST_ARCH}")
  endif()
endif()
if(NOT RIDGELINE_ISA_FLAGS)
  set(RIDGELINE_ISA_FLAGS "default")
endif()

# `#pragma omp simd` in the host micro-kernels (kernels/unroll.hpp) without an OpenMP runtime.
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND NOT CMAKE_CXX_COMPILER MATCHES "nvcc_wrapper|hipcc")
  target_compile_options(ridgeline_arch INTERFACE -fopenmp-simd)
  target_compile_definitions(ridgeline_arch INTERFACE RIDGELINE_OPENMP_SIMD)
endif()
