#pragma once
// The attention oracle: every score, exponential and weighted sum in a wider type (f32 -> f64,
// f64 -> x87 long double on x86-64), one query row at a time on the host. It also serves as the
// `reference` variant.
//
// Error bound used by the check, per element (row i, column c) of O, with w_j = p_j / sum p the
// softmax weights, s_j the scaled scores, m the row's maximum score and u the unit roundoff of T:
//   |O - O_ref| <= 4 u [ sum_j w_j e_j |v_jc - O_ref,c| + sqrt(n + 2) sum_j w_j |v_jc| ] + tiny
//   e_j = sqrt(D + 2) scale sum_d |q_d k_jd| + |s_j| + |m| + 4
// Why: an error δ_j in the exponent of p_j changes O by sum_j w_j δ_j (v_j - O) to first order
// (a common shift of all exponents cancels in the normalisation, which is why the running max of
// the online softmax and its rescaling do not appear). δ_j comes from the dot product (sqrt(D)
// probabilistic growth, as in the GEMM check), from rounding s_j - m (|s_j| + |m|), and from exp
// itself (a few u). The second term covers accumulating n = visible keys weighted rows of V, the
// running sum l, the rescalings and the final division (all relative to sum w |v|). The factor 4
// is the GEMM check's safety factor. A planted error of one key's weight, a wrong scale, a causal
// off-by-one or an unwritten row exceeds it by orders of magnitude (test_attention_check.cpp).
// A row that sees no key must be exactly 0.
#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "kernels/attention/attention_args.hpp"
#include "kernels/gemm/gemm_reference.hpp"  // wider<T>, wider_name<T>()
#include "kernels/row_check.hpp"
#include "profiler/measurement.hpp"

namespace ridgeline::kernels {

// Output row `row` (global query row: ((b * hq + h) * sq + i)) in W; tol (optional) gets the
// check's bound per column. s and e are scratch of skv elements.
template <class T, class W>
void reference_attention_row(const attention_args<T>& a, std::int64_t row, W* out, W* tol,
                             std::vector<W>& s, std::vector<W>& e) {
  const attention_shape& sh = a.s;
  const int d = sh.d;
  const std::int64_t i = row % sh.sq;
  const std::int64_t bh = row / sh.sq;
  const std::int64_t b = bh / sh.hq;
  const std::int64_t h = bh % sh.hq;
  const std::int64_t kv = b * sh.hkv + h / sh.group();
  const T* q = a.q + row * d;
  const T* k = a.k + kv * sh.skv * d;
  const T* v = a.v + kv * sh.skv * d;
  const W u = W(std::numeric_limits<T>::epsilon()) / 2;
  const W tiny = W(std::numeric_limits<T>::min());
  const std::int64_t last = sh.last_key(i);
  const std::int64_t n = last < 0 ? 0 : (last + 1 < sh.skv ? last + 1 : sh.skv);
  if (n == 0) {
    for (int c = 0; c < d; ++c) {
      out[c] = 0;
      if (tol) tol[c] = tiny;
    }
    return;
  }
  const W scale = W(a.scale);
  const W dot_growth = std::sqrt(W(d) + 2);
  W m = -std::numeric_limits<W>::infinity();
  for (std::int64_t j = 0; j < n; ++j) {
    W dot = 0, mag = 0;
    for (int c = 0; c < d; ++c) {
      const W x = W(q[c]) * W(k[j * d + c]);
      dot += x;
      mag += std::fabs(x);
    }
    s[j] = scale * dot;
    e[j] = dot_growth * scale * mag + std::fabs(s[j]);
    m = std::max(m, s[j]);
  }
  W sum = 0;
  for (std::int64_t j = 0; j < n; ++j) {
    const W p = std::exp(s[j] - m);
    sum += p;
    s[j] = p;  // s now holds the unnormalised weights
  }
  for (int c = 0; c < d; ++c) out[c] = 0;
  for (std::int64_t j = 0; j < n; ++j) {
    const W w = s[j] / sum;
    for (int c = 0; c < d; ++c) out[c] += w * W(v[j * d + c]);
  }
  if (!tol) return;
  std::vector<W> shift(static_cast<std::size_t>(d), W(0)), mag(static_cast<std::size_t>(d), W(0));
  for (std::int64_t j = 0; j < n; ++j) {
    const W w = s[j] / sum;
    const W ej = e[j] + std::fabs(m) + 4;
    for (int c = 0; c < d; ++c) {
      const W vj = W(v[j * d + c]);
      shift[c] += w * ej * std::fabs(vj - out[c]);
      mag[c] += w * std::fabs(vj);
    }
  }
  const W acc_growth = std::sqrt(W(n) + 2);
  for (int c = 0; c < d; ++c) tol[c] = 4 * u * (shift[c] + acc_growth * mag[c]) + tiny;
}

// The `reference` variant: O rounded to T from the wide result, rows in parallel on the host.
template <class T>
void reference_attention(const attention_args<T>& a) {
  using W = typename wider<T>::type;
  Kokkos::parallel_for(
      "ridgeline::attention::reference",
      Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace, Kokkos::IndexType<std::int64_t>>(
          0, a.s.rows()),
      [=](const std::int64_t row) {
        std::vector<W> s(static_cast<std::size_t>(a.s.skv)), e(s.size()),
            out(static_cast<std::size_t>(a.s.d));
        reference_attention_row<T, W>(a, row, out.data(), nullptr, s, e);
        for (int c = 0; c < a.s.d; ++c) a.o[row * a.s.d + c] = static_cast<T>(out[c]);
      });
  Kokkos::fence();
}

// Compares `o` (the kernel's output for the inputs in a.q/a.k/a.v, host pointers) with the
// reference, element by element against the bound above.
template <class T>
profiler::check_result compare_attention_with_reference(const attention_args<T>& a, const T* o) {
  using W = typename wider<T>::type;
  const attention_shape& sh = a.s;
  std::vector<row_check> rows(static_cast<std::size_t>(sh.rows()));
  Kokkos::parallel_for(
      "ridgeline::attention::check",
      Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace, Kokkos::IndexType<std::int64_t>>(
          0, sh.rows()),
      [&](const std::int64_t row) {
        std::vector<W> s(static_cast<std::size_t>(sh.skv)), e(s.size()),
            want(static_cast<std::size_t>(sh.d)), tol(want.size());
        reference_attention_row<T, W>(a, row, want.data(), tol.data(), s, e);
        row_check& r = rows[static_cast<std::size_t>(row)];
        for (int c = 0; c < sh.d; ++c) r.compare(c, W(o[row * sh.d + c]), want[c], tol[c]);
      });
  Kokkos::fence();

  profiler::check_result out;
  out.reference =
      std::string("naive attention (scores, softmax, weighted sum) in ") + wider_name<T>();
  out.bound =
      "4u*(sum_j w_j*(sqrt(D+2)*scale*sum|q k_j| + |s_j| + |m| + 4)*|v_j - o| + "
      "sqrt(n+2)*sum_j w_j*|v_j|) per element; rows that see no key exactly 0";
  out.elements = static_cast<std::uint64_t>(sh.rows()) * static_cast<std::uint64_t>(sh.d);
  merge_rows(out, rows, [&](std::int64_t row, int c) {
    const std::int64_t i = row % sh.sq, bh = row / sh.sq;
    return fmt::format("O[{},{},{},{}]", bh / sh.hq, bh % sh.hq, i, c);
  });
  return out;
}

}  // namespace ridgeline::kernels
