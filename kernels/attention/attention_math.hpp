#pragma once
// The exponential of the softmax, and reduction pragmas, shared by the flash and unfused variants.
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <cstring>

#include "kernels/unroll.hpp"

// `omp simd` with a reduction clause for the host's row loops (max and sum over a score row);
// nothing on devices and without OpenMP SIMD support.
#define RIDGELINE_ATTN_PRAGMA(x) _Pragma(#x)
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
#define RIDGELINE_SIMD_REDUCE(op, var)
#elif defined(_OPENMP) || defined(RIDGELINE_OPENMP_SIMD)
#define RIDGELINE_SIMD_REDUCE(op, var) RIDGELINE_ATTN_PRAGMA(omp simd reduction(op : var))
#else
#define RIDGELINE_SIMD_REDUCE(op, var)
#endif

namespace ridgeline::kernels::detail {

// e^x for the softmax, whose arguments are never positive (score minus a running maximum).
// On devices the backend's exp. On hosts a branch-free Cody-Waite reduction x = n ln2 + r,
// |r| <= ln2/2, and a Taylor polynomial (degree 7 for float: truncation < 6e-9 relative; degree
// 13 for double: < 5e-18), so the compiler vectorizes a whole score row: libm's scalar expf
// cost as much per score as a quarter of the D = 128 dot products it follows. Arguments below
// the smallest normal result give 0 (the reference's e^x there is < 1e-37 relative to the row's
// largest weight, which is 1). Accuracy: ~2 ulp, inside the check's allowance for exp (4 u).
KOKKOS_INLINE_FUNCTION float softmax_exp(float x) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return x < -87.0f ? 0.0f : Kokkos::Experimental::exp(x);
#else
  const float lo = -87.0f;
  const float xc = x < lo ? lo : x;
  const float shifter = 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
  const float t = xc * 1.44269504088896341f + shifter;
  const float n = t - shifter;
  float r = xc - n * 0.693359375f;  // ln 2 split in a part exact in float and the rest
  r = r + n * 2.12194440e-4f;
  float p = 1.0f / 5040.0f;
  p = p * r + 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  const std::int32_t bits = (static_cast<std::int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x < lo ? 0.0f : p * scale;
#endif
}

KOKKOS_INLINE_FUNCTION double softmax_exp(double x) {
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return x < -708.0 ? 0.0 : Kokkos::Experimental::exp(x);
#else
  const double lo = -708.0;
  const double xc = x < lo ? lo : x;
  const double shifter = 6755399441055744.0;  // 1.5 * 2^52
  const double t = xc * 1.4426950408889634074 + shifter;
  const double n = t - shifter;
  double r = xc - n * 6.93147180369123816490e-01;  // fdlibm's ln 2 hi/lo split
  r = r - n * 1.90821492927058770002e-10;
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  const std::int64_t bits = (static_cast<std::int64_t>(n) + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x < lo ? 0.0 : p * scale;
#endif
}

}  // namespace ridgeline::kernels::detail
