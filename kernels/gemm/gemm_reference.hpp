#pragma once
// The GEMM oracle: every dot product accumulated in a wider type (f32 -> f64, f64 -> x87 long
// double on x86-64), on the host. It also serves as the `reference` variant.
//
// Error bound used by the check, per element of C:
//   |C - C_ref| <= 4 * sqrt(K + 2) * u * (|alpha| * sum_k |a_ik b_kj| + |beta| * |c0_ij|) + tiny
// with u the unit roundoff of T. The deterministic worst case grows like K*u; rounding errors of
// a sum of K terms behave like a random walk, so sqrt(K) (Higham & Mary's probabilistic bound)
// with a safety factor of 4 accepts every correct blocking/FMA order while still catching a
// single dropped or doubled term (an O(|a b|) error) at K in the thousands.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernels/gemm/gemm_args.hpp"
#include "kernels/row_check.hpp"
#include "profiler/measurement.hpp"

namespace ridgeline::kernels {

template <class T>
struct wider;
template <>
struct wider<float> {
  using type = double;
};
template <>
struct wider<double> {
  using type = long double;
};

template <class T>
inline const char* wider_name() {
  return std::is_same<T, float>::value ? "f64" : "long double (x87 80-bit on x86-64)";
}

// C = alpha*A*B + beta*C on host pointers, rows in parallel on the host execution space.
template <class T>
void reference_gemm(const gemm_args<T>& g) {
  using W = typename wider<T>::type;
  Kokkos::parallel_for(
      "ridgeline::gemm::reference", Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, g.m),
      [=](const int i) {
        std::vector<W> row(static_cast<std::size_t>(g.n), W(0));
        for (int kk = 0; kk < g.k; ++kk) {
          const W a = g.a[i * g.lda + kk];
          const T* b = g.b + kk * g.ldb;
          for (int j = 0; j < g.n; ++j) row[j] += a * W(b[j]);
        }
        T* c = g.c + i * g.ldc;
        for (int j = 0; j < g.n; ++j) {
          const W v = W(g.alpha) * row[j] + (g.beta == T(0) ? W(0) : W(g.beta) * W(c[j]));
          c[j] = static_cast<T>(v);
        }
      });
  Kokkos::fence();
}

// Compares `c` (the kernel's output) with the reference computed from a, b and c0 (C before the
// launch; ignored when beta == 0). All pointers are host, row-major, dense.
template <class T>
profiler::check_result compare_with_reference(const gemm_shape& s, const T* a, const T* b,
                                              const T* c0, const T* c) {
  using W = typename wider<T>::type;
  const W u = W(std::numeric_limits<T>::epsilon()) / 2;
  const W factor = 4 * std::sqrt(W(s.k) + 2) * u;
  const W alpha = W(static_cast<T>(s.alpha));
  const W beta = W(static_cast<T>(s.beta));

  std::vector<row_check> rows(static_cast<std::size_t>(s.m));
  Kokkos::parallel_for(
      "ridgeline::gemm::check", Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, s.m),
      [&](const int i) {
        std::vector<W> sum(static_cast<std::size_t>(s.n), W(0));
        std::vector<W> mag(static_cast<std::size_t>(s.n), W(0));
        for (int kk = 0; kk < s.k; ++kk) {
          const W av = W(a[std::int64_t(i) * s.k + kk]);
          const T* brow = b + std::int64_t(kk) * s.n;
          for (int j = 0; j < s.n; ++j) {
            sum[j] += av * W(brow[j]);
            mag[j] += std::fabs(av * W(brow[j]));
          }
        }
        row_check& r = rows[static_cast<std::size_t>(i)];
        for (int j = 0; j < s.n; ++j) {
          const std::int64_t at = std::int64_t(i) * s.n + j;
          const W c_in = beta == 0 ? W(0) : W(c0[at]);
          const W want = alpha * sum[j] + beta * c_in;
          const W tol = factor * (std::fabs(alpha) * mag[j] + std::fabs(beta) * std::fabs(c_in)) +
                        W(std::numeric_limits<T>::min());
          r.compare(j, W(c[at]), want, tol);
        }
      });
  Kokkos::fence();

  profiler::check_result out;
  out.reference = std::string("naive GEMM accumulated in ") + wider_name<T>();
  out.bound = "4*sqrt(K+2)*u*(|alpha||A||B| + |beta||C0|) per element";
  out.elements = static_cast<std::uint64_t>(s.m) * static_cast<std::uint64_t>(s.n);
  merge_rows(out, rows, [](std::int64_t i, int j) { return fmt::format("C[{},{}]", i, j); });
  return out;
}

}  // namespace ridgeline::kernels
