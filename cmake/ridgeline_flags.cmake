# Warnings for our own targets, and the ISA choice for host code.
add_library(ridgeline_warnings INTERFACE)
target_compile_options(ridgeline_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra>)

# -march=native only when the compiler is a host compiler: nvcc_wrapper/hipcc builds pass their own
# architecture flags, and a kernel tuned for one CPU must not be silently run on another (the ISA the
# binary was built for is recorded in every measurement's provenance).
add_library(ridgeline_arch INTERFACE)
if(RIDGELINE_NATIVE AND NOT CMAKE_CXX_COMPILER MATCHES "nvcc_wrapper|hipcc")
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-march=native RIDGELINE_HAS_MARCH_NATIVE)
  if(RIDGELINE_HAS_MARCH_NATIVE)
    target_compile_options(ridgeline_arch INTERFACE -march=native)
    set(RIDGELINE_ISA_FLAGS "-march=native")
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
