// The attention check itself must be able to fail. A naive attention in the kernel's own precision
// must pass it (FlashAttention's yardstick: a correct kernel is about as accurate as the naive
// one), and deliberately broken versions of that naive kernel — a scale 1% off, a causal mask
// off by one, a dropped key, a row never written, the mask ignored, a row that sees no key given
// a value — must each be caught.
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <cmath>
#include <vector>

#include "kernels/attention/attention_instance.hpp"

namespace ridgeline::test {
namespace {

using space = Kokkos::DefaultHostExecutionSpace;

struct planted {
  double scale_factor = 1;
  int mask_shift = 0;  // causal: query i sees keys j <= i + skv - sq + mask_shift
  bool ignore_mask = false;
  bool drop_last_key = false;
  bool skip_last_row = false;
  bool masked_rows_average = false;  // rows that see no key get the mean of V instead of 0
};

// Naive attention in T (the precision under test), with the planted defects.
template <class T>
void naive_attention(const kernels::attention_args<T>& a, const planted& p) {
  const auto& s = a.s;
  const std::int64_t rows = s.rows() - (p.skip_last_row ? 1 : 0);
  for (std::int64_t row = 0; row < rows; ++row) {
    const std::int64_t i = row % s.sq, bh = row / s.sq;
    const std::int64_t kv = (bh / s.hq) * s.hkv + (bh % s.hq) / s.group();
    const T* q = a.q + row * s.d;
    const T* k = a.k + kv * s.skv * s.d;
    const T* v = a.v + kv * s.skv * s.d;
    std::int64_t last = s.causal && !p.ignore_mask ? i + s.skv - s.sq + p.mask_shift : s.skv - 1;
    if (last > s.skv - 1) last = s.skv - 1;
    if (p.drop_last_key && last == s.skv - 1) --last;
    T* o = a.o + row * s.d;
    if (last < 0) {
      for (int c = 0; c < s.d; ++c) {
        T mean = 0;
        for (std::int64_t j = 0; j < s.skv; ++j) mean += v[j * s.d + c];
        o[c] = p.masked_rows_average ? mean / T(s.skv) : T(0);
      }
      continue;
    }
    std::vector<T> w(static_cast<std::size_t>(last + 1));
    T m = -INFINITY;
    for (std::int64_t j = 0; j <= last; ++j) {
      T dot = 0;
      for (int c = 0; c < s.d; ++c) dot += q[c] * k[j * s.d + c];
      w[j] = T(a.scale * p.scale_factor) * dot;
      m = std::max(m, w[j]);
    }
    T sum = 0;
    for (auto& x : w) sum += (x = std::exp(x - m));
    for (int c = 0; c < s.d; ++c) {
      T acc = 0;
      for (std::int64_t j = 0; j <= last; ++j) acc += w[j] * v[j * s.d + c];
      o[c] = acc / sum;
    }
  }
}

template <class T>
profiler::check_result check_with(const kernels::attention_shape& s, const planted& p) {
  kernels::attention_instance<T, space> inst(
      s, 1, [p](const kernels::attention_args<T>& a) { naive_attention<T>(a, p); });
  inst.fill_inputs(2024);
  return inst.check();
}

kernels::attention_shape shape(int hq, int hkv, int sq, int skv, int d, bool causal) {
  kernels::attention_shape s;
  s.batch = 2;
  s.hq = hq;
  s.hkv = hkv;
  s.sq = sq;
  s.skv = skv;
  s.d = d;
  s.causal = causal;
  return s;
}

template <class T>
void broken_kernels_are_caught() {
  const auto prefill = shape(4, 2, 96, 96, 64, true);
  const auto decode = shape(8, 2, 1, 2048, 128, false);
  for (const auto& s : {prefill, decode}) {
    const auto good = check_with<T>(s, {});
    EXPECT_TRUE(good.passed) << good.first_bad;
    EXPECT_LT(good.max_error_over_bound, 0.5);  // naive in T sits well inside the bound

    planted wrong_scale;
    wrong_scale.scale_factor = 1.01;
    const auto scaled = check_with<T>(s, wrong_scale);
    EXPECT_FALSE(scaled.passed);
    EXPECT_GT(scaled.bad_elements, scaled.elements / 2);

    planted dropped;
    dropped.drop_last_key = true;  // decode: 1 of 2048 keys; prefill: the last query's last key
    const auto d = check_with<T>(s, dropped);
    EXPECT_FALSE(d.passed);

    planted unwritten;
    unwritten.skip_last_row = true;  // keeps the NaN poison
    const auto u = check_with<T>(s, unwritten);
    EXPECT_FALSE(u.passed);
    EXPECT_EQ(u.bad_elements, static_cast<std::uint64_t>(s.d));
  }
  // The decode case: one key of 2048 dropped moves most outputs outside the bound.
  planted dropped;
  dropped.drop_last_key = true;
  const auto d = check_with<T>(decode, dropped);
  EXPECT_GT(d.bad_elements, d.elements / 2);

  planted off_by_one;
  off_by_one.mask_shift = 1;  // every query but the last sees one key too many
  const auto o = check_with<T>(prefill, off_by_one);
  EXPECT_FALSE(o.passed);
  EXPECT_GT(o.bad_elements, o.elements / 2);

  planted no_mask;
  no_mask.ignore_mask = true;
  EXPECT_FALSE(check_with<T>(prefill, no_mask).passed);

  // Causal with sq > skv: rows 0..sq-skv-1 see no key and must be exactly 0.
  const auto overhang = shape(2, 1, 40, 25, 16, true);
  EXPECT_TRUE(check_with<T>(overhang, {}).passed);
  planted averaged;
  averaged.masked_rows_average = true;
  const auto a = check_with<T>(overhang, averaged);
  EXPECT_FALSE(a.passed);
  EXPECT_EQ(a.bad_elements, 2u * 2 * (40 - 25) * 16);  // batch x hq x masked rows x d
}

TEST(AttentionCheck, CatchesBrokenKernelsF32) {
  broken_kernels_are_caught<float>();
}
TEST(AttentionCheck, CatchesBrokenKernelsF64) {
  broken_kernels_are_caught<double>();
}

TEST(AttentionCheck, ReferenceVariantIsFarInsideItsOwnBound) {
  kernels::attention_instance<float, space> inst(
      shape(4, 1, 33, 65, 67, true), 1,
      [](const kernels::attention_args<float>& a) { kernels::reference_attention<float>(a); });
  inst.fill_inputs(1);
  const auto r = inst.check();
  EXPECT_TRUE(r.passed) << r.first_bad;
  EXPECT_LT(r.max_error_over_bound, 0.1);
}

}  // namespace
}  // namespace ridgeline::test
