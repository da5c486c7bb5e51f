#pragma once
// Ask the compiler to fully unroll a loop with a compile-time trip count (register tiles), in the
// spelling each compiler understands; GCC's default complete-unroll limits stop short of an 8x32
// tile, which would leave the accumulators in memory.
// nvcc's host pass gets neither: its front end rejects GCC's spelling and GCC rejects "unroll".
#if defined(__CUDA_ARCH__) || defined(__clang__)
#define RIDGELINE_UNROLL _Pragma("unroll")
#elif defined(__GNUC__) && !defined(__CUDACC__)
#define RIDGELINE_UNROLL _Pragma("GCC unroll 64")
#else
#define RIDGELINE_UNROLL
#endif

// Unroll a loop with a run-time trip count by 8 (the GPU GEMM's K loop: eight K steps of
// FFMAs between loop tests), in each compiler's spelling.
#if defined(__CUDA_ARCH__) || defined(__clang__)
#define RIDGELINE_UNROLL_8 _Pragma("unroll 8")
#elif defined(__GNUC__) && !defined(__CUDACC__)
#define RIDGELINE_UNROLL_8 _Pragma("GCC unroll 8")
#else
#define RIDGELINE_UNROLL_8
#endif

// Vectorize the loop that follows (host) or unroll it into registers (device). `omp simd` needs
// -fopenmp or -fopenmp-simd (cmake/ridgeline_flags.cmake adds the latter and defines
// RIDGELINE_OPENMP_SIMD); without either the loop is left to the auto-vectorizer.
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
#define RIDGELINE_SIMD _Pragma("unroll")
#elif defined(_OPENMP) || defined(RIDGELINE_OPENMP_SIMD)
#define RIDGELINE_SIMD _Pragma("omp simd")
#else
#define RIDGELINE_SIMD
#endif
