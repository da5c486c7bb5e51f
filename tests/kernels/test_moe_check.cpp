// The MoE checks must be able to fail: each one is fed the oracle's own outputs (passes) and then
// the same outputs with one planted error (caught, and named in first_bad).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "kernels/moe/moe_reference.hpp"

namespace ridgeline::test {
namespace {

using namespace kernels;
namespace ref = kernels::moe_ref;

moe_shape shape(std::int64_t tokens, std::int64_t experts, std::int64_t k) {
  moe_shape s;
  s.tokens = tokens;
  s.experts = experts;
  s.top_k = k;
  s.hidden = 13;
  s.intermediate = 7;
  s.block = 4;
  return s;
}

std::vector<float> random_values(std::size_t n, unsigned seed, float lo = -1, float hi = 1) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (auto& x : v) x = d(rng);
  return v;
}

struct routed {
  moe_shape s;
  std::vector<float> logits, w;
  std::vector<std::int32_t> ids;
};

routed route(const moe_shape& s, unsigned seed) {
  routed r{s, random_values(std::size_t(s.tokens * s.experts), seed, -4, 4), {}, {}};
  r.ids.resize(std::size_t(s.slots()));
  r.w.resize(r.ids.size());
  ref::gating<float>(s, r.logits.data(), r.ids.data(), r.w.data());
  return r;
}

TEST(MoeCheck, GatingCatchesDuplicatesWrongExpertsTiesAndWeights) {
  for (const bool grouped : {false, true}) {
    moe_shape s = shape(20, 16, 4);
    if (grouped) {
      s.groups = 4;
      s.topk_groups = 2;
      s.scoring = moe_scoring::sigmoid;
      s.routed_scale = 2.5;
    }
    const routed r = route(s, 7);
    EXPECT_TRUE(ref::check_gating<float>(s, r.logits.data(), r.ids.data(), r.w.data()).passed);

    auto ids = r.ids;
    ids[5 * 4 + 1] = ids[5 * 4 + 0];  // one expert twice
    auto c = ref::check_gating<float>(s, r.logits.data(), ids.data(), r.w.data());
    EXPECT_FALSE(c.passed);
    EXPECT_NE(c.first_bad.find("chosen twice"), std::string::npos) << c.first_bad;

    ids = r.ids;
    // Token 3's last choice replaced by an expert outside its top-k (not a near-tie).
    for (std::int32_t e = 0; e < 16; ++e) {
      if (std::find(ids.begin() + 12, ids.begin() + 16, e) == ids.begin() + 16) {
        ids[3 * 4 + 3] = e;
        break;
      }
    }
    c = ref::check_gating<float>(s, r.logits.data(), ids.data(), r.w.data());
    EXPECT_FALSE(c.passed);
    EXPECT_NE(c.first_bad.find("token 3"), std::string::npos) << c.first_bad;

    ids = r.ids;
    ids[0] = 16;  // out of range
    EXPECT_FALSE(ref::check_gating<float>(s, r.logits.data(), ids.data(), r.w.data()).passed);

    auto w = r.w;
    w[7] *= 1.001f;  // a weight 0.1% off
    c = ref::check_gating<float>(s, r.logits.data(), r.ids.data(), w.data());
    EXPECT_FALSE(c.passed);
    EXPECT_EQ(c.bad_elements, 1u);
  }
  // Exact ties must go to the lower id: choosing expert 4 over the tied expert 3 is wrong.
  moe_shape s = shape(1, 8, 4);
  std::vector<float> logits(8, 0.25f);
  std::vector<std::int32_t> ids = {0, 1, 2, 3};
  std::vector<float> w(4, 0.25f);
  EXPECT_TRUE(ref::check_gating<float>(s, logits.data(), ids.data(), w.data()).passed);
  ids = {0, 1, 2, 4};
  EXPECT_FALSE(ref::check_gating<float>(s, logits.data(), ids.data(), w.data()).passed);
}

struct aligned {
  routed r;
  std::vector<float> x, gathered;
  std::vector<std::int32_t> sorted, pos, offsets, counts;
};

aligned align(const moe_shape& s, unsigned seed) {
  aligned a{route(s, seed),
            random_values(std::size_t(s.tokens * s.hidden), seed + 1),
            {},
            {},
            {},
            {},
            {}};
  a.sorted.resize(std::size_t(s.max_padded_rows()));
  a.pos.resize(std::size_t(s.slots()));
  a.offsets.resize(std::size_t(s.experts + 1));
  a.counts.resize(std::size_t(s.experts));
  ref::align(s, a.r.ids.data(), a.sorted.data(), a.pos.data(), a.offsets.data(), a.counts.data());
  a.gathered.assign(std::size_t(s.max_padded_rows() * s.hidden), 0.f);
  ref::gather<float>(s, a.x.data(), a.pos.data(), a.gathered.data());
  return a;
}

profiler::check_result check(const aligned& a) {
  return ref::check_permute<float>(a.r.s, a.r.ids.data(), a.x.data(), a.sorted.data(), a.pos.data(),
                                   a.offsets.data(), a.counts.data(), a.gathered.data());
}

TEST(MoeCheck, PermuteCatchesBrokenBijectionPaddingAndRows) {
  const moe_shape s = shape(23, 8, 3);
  const aligned good = align(s, 11);
  EXPECT_TRUE(check(good).passed) << check(good).first_bad;

  aligned a = good;
  // Two rows of expert 0's segment swapped with each other's slot: still a bijection, but a
  // duplicated slot is not.
  a.sorted[1] = a.sorted[0];
  auto c = check(a);
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.first_bad.find("twice"), std::string::npos) << c.first_bad;

  a = good;
  a.counts[2] += 1;  // a count off by one
  EXPECT_FALSE(check(a).passed);

  a = good;
  for (std::int64_t e = 0; e < s.experts; ++e)
    a.offsets[std::size_t(e + 1)] = a.offsets[std::size_t(e)] + a.counts[std::size_t(e)];
  c = check(a);  // segments not padded to the block
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.first_bad.find("padded"), std::string::npos) << c.first_bad;

  a = good;
  for (std::size_t p = 0; p < a.sorted.size(); ++p) {
    if (a.sorted[p] == -1) {
      a.sorted[p] = -7;  // a pad never written
      break;
    }
  }
  EXPECT_FALSE(check(a).passed);

  a = good;
  a.gathered[std::size_t(a.pos[9] * s.hidden + 12)] += 1.f;  // one element of one row
  c = check(a);
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.first_bad.find("gathered"), std::string::npos) << c.first_bad;

  a = good;
  std::swap(a.pos[0], a.pos[1]);  // slot_pos no longer the inverse
  EXPECT_FALSE(check(a).passed);
}

TEST(MoeCheck, ExpertsCatchADroppedTerm) {
  const moe_shape s = shape(17, 4, 2);
  const aligned a = align(s, 21);
  const std::size_t ws = std::size_t(s.hidden * s.intermediate);
  const auto wg = random_values(ws * 4, 1, -0.3f, 0.3f), wu = random_values(ws * 4, 2, -0.3f, 0.3f),
             wd = random_values(ws * 4, 3, -0.3f, 0.3f);
  std::vector<float> y(a.gathered.size(), 0.f);
  ref::experts<float>(s, a.gathered.data(), a.sorted.data(), a.offsets.data(), wg.data(), wu.data(),
                      wd.data(), y.data());
  auto c = ref::check_experts<float>(s, a.gathered.data(), a.sorted.data(), a.offsets.data(),
                                     wg.data(), wu.data(), wd.data(), y.data());
  EXPECT_TRUE(c.passed) << c.first_bad;
  EXPECT_LT(c.max_error_over_bound, 0.1);
  // The down projection of expert 1 without its last intermediate row: a dropped term.
  auto wd_short = wd;
  for (std::int64_t col = 0; col < s.hidden; ++col)
    wd_short[ws + std::size_t((s.intermediate - 1) * s.hidden + col)] = 0.f;
  std::vector<float> y_bad(a.gathered.size(), 0.f);
  ref::experts<float>(s, a.gathered.data(), a.sorted.data(), a.offsets.data(), wg.data(), wu.data(),
                      wd_short.data(), y_bad.data());
  c = ref::check_experts<float>(s, a.gathered.data(), a.sorted.data(), a.offsets.data(), wg.data(),
                                wu.data(), wd.data(), y_bad.data());
  EXPECT_FALSE(c.passed);
  EXPECT_NE(c.first_bad.find("expert 1"), std::string::npos) << c.first_bad;
}

TEST(MoeCheck, CombineCatchesADroppedExpert) {
  const moe_shape s = shape(15, 6, 3);
  const aligned a = align(s, 31);
  const auto y = random_values(a.gathered.size(), 4);
  std::vector<float> out(std::size_t(s.tokens * s.hidden));
  ref::combine<float>(s, y.data(), a.pos.data(), a.r.w.data(), out.data());
  EXPECT_TRUE(
      ref::check_combine<float>(s, y.data(), a.pos.data(), a.r.w.data(), out.data()).passed);
  auto w = a.r.w;
  w[std::size_t(4 * 3 + 2)] = 0.f;  // token 4 without its third expert
  std::vector<float> bad(out.size());
  ref::combine<float>(s, y.data(), a.pos.data(), w.data(), bad.data());
  const auto c = ref::check_combine<float>(s, y.data(), a.pos.data(), a.r.w.data(), bad.data());
  EXPECT_FALSE(c.passed);
  EXPECT_EQ(c.bad_elements, std::uint64_t(s.hidden));
  EXPECT_NE(c.first_bad.find("out[4,"), std::string::npos) << c.first_bad;
}

}  // namespace
}  // namespace ridgeline::test
