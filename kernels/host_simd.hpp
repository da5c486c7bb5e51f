#pragma once
// Explicit host vectors for the CPU micro-kernels: the widest vector register the build's target
// ISA executes, chosen from the compiler's target macros at build time — never from the
// compiler's *preferred* width. GCC tunes some AVX-512 CPUs (e.g. `-march=native` on a Xeon VM that
// reports model 167 → rocketlake) to prefer 256-bit vectors, so auto-vectorized loops ran on ymm
// registers at half the machine's peak (issue 13). A GCC/Clang vector type of 64 bytes is
// always compiled to zmm registers when AVX-512F is enabled, whatever the tuning.
//
// Only for host compilers: nvcc's and hipcc's device passes have their own vector model, so
// RIDGELINE_HOST_SIMD is left undefined there and the kernels keep their portable loops.
#include <cstddef>
#include <cstring>

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__CUDACC__) && !defined(__HIPCC__)
#define RIDGELINE_HOST_SIMD 1

namespace ridgeline::kernels::simd {

// Register width and count of the target ISA. The count sizes register tiles and FMA-chain
// counts: accumulators + operands must fit, or the compiler spills them to the stack.
#if defined(__AVX512F__)
inline constexpr int vector_bytes = 64;
inline constexpr int vector_registers = 32;
inline constexpr const char* isa = "avx512";
#elif defined(__AVX__)
inline constexpr int vector_bytes = 32;
inline constexpr int vector_registers = 16;
inline constexpr const char* isa = "avx2";
#elif defined(__ARM_NEON) || defined(__aarch64__)
// SVE's length is a run-time property; Neoverse V2 (Grace) and Kunpeng 920 run 128-bit vectors,
// so NEON's fixed 16 bytes lose nothing there.
inline constexpr int vector_bytes = 16;
inline constexpr int vector_registers = 32;
inline constexpr const char* isa = "neon";
#else
inline constexpr int vector_bytes = 16;
inline constexpr int vector_registers = 16;
inline constexpr const char* isa = "sse2";
#endif

// GCC ignores vector_size on a dependent type in an alias template, hence one specialization per
// element type.
template <class T>
struct vector_of;
template <>
struct vector_of<float> {
  typedef float type __attribute__((vector_size(vector_bytes)));
};
template <>
struct vector_of<double> {
  typedef double type __attribute__((vector_size(vector_bytes)));
};

template <class T>
using vec = typename vector_of<T>::type;

template <class T>
inline constexpr int lanes = vector_bytes / static_cast<int>(sizeof(T));

// Unaligned load/store: memcpy of a full register compiles to one vmovups/vmovupd and, unlike a
// pointer cast, does not break strict aliasing.
template <class T>
inline vec<T> load(const T* p) {
  vec<T> v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}
template <class T>
inline void store(T* p, const vec<T>& v) {
  std::memcpy(p, &v, sizeof(v));
}
// A register of raw bits: for loops that only need loads to happen (bandwidth sweeps).
typedef long long bits __attribute__((vector_size(vector_bytes)));
inline bits load_bits(const void* p) {
  bits v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Makes the compiler materialize `v` in a register without any instruction using it, so a load
// feeding only this cannot be removed (an empty asm that takes the register as input).
inline void keep(const bits& v) {
#if defined(__x86_64__) || defined(__i386__)
  asm volatile("" : : "v"(v));
#elif defined(__aarch64__)
  asm volatile("" : : "w"(v));
#else
  asm volatile("" : : "m"(v) : "memory");
#endif
}

// x in every lane. Written as x - 0 (exact for every x, so GCC folds it to one vbroadcastss from
// memory); `vec{} + x` is not exact for x = -0 and cost a scalar add per broadcast, which competed
// with the FMAs for the vector ports, and a lane-by-lane loop went through the stack.
template <class T>
inline vec<T> broadcast(T x) {
  return x - vec<T>{};
}
template <class T>
inline T sum(const vec<T>& v) {
  T s = 0;
  for (int l = 0; l < lanes<T>; ++l) s += v[l];
  return s;
}

}  // namespace ridgeline::kernels::simd

#endif
