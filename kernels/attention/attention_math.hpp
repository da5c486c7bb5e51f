#pragma once
// The exponential of the softmax, and reduction pragmas, shared by the flash and unfused variants.
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

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

// The float value or the double value, as T.
template <class T>
constexpr T per_type(float for_float, double for_double) {
  if constexpr (std::is_same_v<T, float>) {
    return for_float;
  } else {
    return for_double;
  }
}

// The host polynomial's constants (softmax_exp below): the argument below which e^x is under the
// smallest normal result, the shifter that rounds to an integer when added (1.5 * 2^mantissa),
// the Cody-Waite split of ln 2 (a part exact in T and the rest: float's own, fdlibm's for double),
// and the Taylor degree whose truncation is below T's rounding (float: < 6e-9 relative, double:
// < 5e-18).
template <class T>
struct softmax_exp_constants {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>);
  using bits = std::conditional_t<std::is_same_v<T, float>, std::int32_t, std::int64_t>;
  static constexpr T lo = per_type<T>(-87.0f, -708.0);
  static constexpr T shifter = per_type<T>(12582912.0f, 6755399441055744.0);
  static constexpr T log2e = per_type<T>(1.44269504088896341f, 1.4426950408889634074);
  static constexpr T ln2_hi = per_type<T>(0.693359375f, 6.93147180369123816490e-01);
  static constexpr T ln2_lo = per_type<T>(-2.12194440e-4f, 1.90821492927058770002e-10);
  static constexpr int degree = std::is_same_v<T, float> ? 7 : 13;
  static constexpr int mantissa_bits = std::numeric_limits<T>::digits - 1;
  static constexpr int exponent_bias = std::numeric_limits<T>::max_exponent - 1;
};

constexpr long long factorial(int k) {
  return k <= 1 ? 1 : k * factorial(k - 1);
}

// 1/k! rounded once to T, as a constant (so each Horner step adds a literal).
template <class T, int K>
inline constexpr T inverse_factorial = T(1) / T(factorial(K));

// sum over k <= sizeof...(K) of r^k / k!, by Horner, unrolled by the fold so a row loop calling
// it stays one straight-line vectorizable body.
template <class T, int... K>
KOKKOS_FORCEINLINE_FUNCTION T taylor_exp(T r, std::integer_sequence<int, K...>) {
  constexpr int degree = sizeof...(K);
  T p = inverse_factorial<T, degree>;
  ((p = p * r + inverse_factorial<T, degree - 1 - K>), ...);
  return p;
}

// e^x for the softmax, whose arguments are never positive (score minus a running maximum).
// On devices the backend's exp. On hosts a branch-free Cody-Waite reduction x = n ln2 + r,
// |r| <= ln2/2, and a Taylor polynomial (degree 7 for float, 13 for double), so the compiler
// vectorizes a whole score row: libm's scalar expf cost as much per score as a quarter of the
// D = 128 dot products it follows. Arguments below the smallest normal result give 0 (the
// reference's e^x there is < 1e-37 relative to the row's largest weight, which is 1). Accuracy:
// ~2 ulp, inside the check's allowance for exp (4 u).
template <class T>
KOKKOS_INLINE_FUNCTION T softmax_exp(T x) {
  using c = softmax_exp_constants<T>;
#if defined(__CUDA_ARCH__) || defined(__HIP_DEVICE_COMPILE__)
  return x < c::lo ? T(0) : Kokkos::Experimental::exp(x);
#else
  const T xc = x < c::lo ? c::lo : x;
  const T t = xc * c::log2e + c::shifter;
  const T n = t - c::shifter;
  T r = xc - n * c::ln2_hi;
  r = r - n * c::ln2_lo;
  const T p = taylor_exp(r, std::make_integer_sequence<int, c::degree>{});
  const typename c::bits bits = (static_cast<typename c::bits>(n) + c::exponent_bias)
                                << c::mantissa_bits;
  T scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return x < c::lo ? T(0) : p * scale;
#endif
}

}  // namespace ridgeline::kernels::detail
