// Kernels on a caller's arrays (kernels/on_arrays.hpp): every variant, both dtypes, every host
// backend, odd and degenerate shapes, fresh random data, judged by the same references and error
// bounds as the kernels' own checks; the parameter overrides reach the launch; every misuse is an
// error naming the argument.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernels/attention/attention_reference.hpp"
#include "kernels/gemm/gemm_reference.hpp"
#include "kernels/moe/moe_reference.hpp"
#include "kernels/on_arrays.hpp"
#include "tests/kernels/test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::test {
namespace {

using kernels::array_call;
using kernels::dtype;

template <class T>
dtype dtype_of() {
  return std::is_same<T, float>::value ? dtype::f32 : dtype::f64;
}

// Uniform in [-scale, scale), never exactly zero (zeros hide dropped terms).
template <class T>
std::vector<T> random_vector(std::size_t n, std::mt19937_64& rng, double scale = 1.0) {
  std::uniform_real_distribution<double> dist(-scale, scale);
  std::vector<T> v(n);
  for (auto& x : v) {
    do x = static_cast<T>(dist(rng));
    while (x == T(0));
  }
  return v;
}

void expect_check_passes(const profiler::check_result& c, const std::string& what) {
  EXPECT_TRUE(c.passed) << what << ": " << c.first_bad;
  EXPECT_EQ(c.bad_elements, 0u) << what;
  EXPECT_LE(c.max_error_over_bound, 1.0) << what;
}

// --- GEMM ---------------------------------------------------------------------------------------

template <class T>
void gemm_case(const std::string& backend, const std::string& variant, int m, int n, int k,
               double alpha, double beta, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto a = random_vector<T>(std::size_t(m) * k, rng);
  const auto b = random_vector<T>(std::size_t(k) * n, rng);
  const auto c0 = random_vector<T>(std::size_t(m) * n, rng);
  std::vector<T> c = beta == 0 ? std::vector<T>(c0.size(), std::numeric_limits<T>::quiet_NaN())
                               : c0;  // NaN: C must not be read when beta == 0
  const kernels::gemm_shape s{m, n, k, alpha, beta};
  const auto r = kernels::gemm_on_arrays(rt(), dtype_of<T>(), s, a.data(), b.data(), c.data(),
                                         {variant, {}, backend});
  EXPECT_EQ(r.variant, variant);
  EXPECT_EQ(r.backend, backend);
  expect_check_passes(kernels::compare_with_reference<T>(s, a.data(), b.data(),
                                                         beta == 0 ? nullptr : c0.data(), c.data()),
                      fmt::format("gemm {} {} m={} n={} k={} beta={} [{}]", variant,
                                  sizeof(T) == 4 ? "f32" : "f64", m, n, k, beta, backend));
}

TEST(OnArrays, GemmEveryVariantDtypeBackendOnOddShapes) {
  const int shapes[][3] = {{1, 1, 1}, {7, 33, 1}, {33, 7, 65}, {64, 5, 63}, {1, 130, 7}};
  std::uint64_t seed = 1;
  for (const auto& backend : backend_ids()) {
    for (const char* variant : {"kokkos_tiled", "vendor", "reference"}) {
      if (!kernels::find_kernel("gemm").find_variant(variant).unavailable_reason(backend).empty())
        continue;
      for (const auto& sh : shapes) {
        for (double beta : {0.0, 0.5}) {
          gemm_case<float>(backend, variant, sh[0], sh[1], sh[2], -0.75, beta, ++seed);
          gemm_case<double>(backend, variant, sh[0], sh[1], sh[2], 1.0, beta, ++seed);
        }
      }
    }
  }
}

TEST(OnArrays, GemmParamsReachTheLaunchAndAreReported) {
  for (const auto& backend : backend_ids()) {
    std::mt19937_64 rng(7);
    const int m = 37, n = 41, k = 19;
    const auto a = random_vector<float>(std::size_t(m) * k, rng);
    const auto b = random_vector<float>(std::size_t(k) * n, rng);
    std::vector<float> c(std::size_t(m) * n);
    const kernels::gemm_shape s{m, n, k, 1.0, 0.0};
    array_call call{
        "kokkos_tiled",
        parse_key_value_list("tile_m=8,tile_n=16,tile_k=8,reg_m=2,reg_n=8,stage=none", "params"),
        backend};
    const auto r = kernels::gemm_on_arrays(rt(), dtype::f32, s, a.data(), b.data(), c.data(), call);
    auto value = [&](const std::string& name) {
      for (const auto& kv : r.params)
        if (kv.first == name) return kv.second;
      return std::string("(absent)");
    };
    EXPECT_EQ(value("tile_m"), "8");
    EXPECT_EQ(value("reg_n"), "8");
    EXPECT_EQ(value("stage"), "none");
    expect_check_passes(
        kernels::compare_with_reference<float>(s, a.data(), b.data(), nullptr, c.data()),
        "gemm with params");
  }
}

// --- attention ----------------------------------------------------------------------------------

template <class T>
void attention_case(const std::string& backend, const std::string& variant,
                    const kernels::attention_shape& s, std::optional<double> scale,
                    std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto q = random_vector<T>(std::size_t(s.q_elements()), rng);
  const auto k = random_vector<T>(std::size_t(s.kv_elements()), rng);
  const auto v = random_vector<T>(std::size_t(s.kv_elements()), rng);
  std::vector<T> o(q.size(), std::numeric_limits<T>::quiet_NaN());
  kernels::attention_on_arrays(rt(), dtype_of<T>(), s, scale, q.data(), k.data(), v.data(),
                               o.data(), {variant, {}, backend});
  kernels::attention_args<T> a;
  a.s = s;
  a.scale = static_cast<T>(scale ? *scale : 1.0 / std::sqrt(double(s.d)));
  a.q = q.data();
  a.k = k.data();
  a.v = v.data();
  expect_check_passes(
      kernels::compare_attention_with_reference<T>(a, o.data()),
      fmt::format("attention {} {} b={} hq={} hkv={} sq={} skv={} d={} causal={} scale={} [{}]",
                  variant, sizeof(T) == 4 ? "f32" : "f64", s.batch, s.hq, s.hkv, s.sq, s.skv, s.d,
                  s.causal, scale ? fmt::format("{}", *scale) : "default", backend));
}

TEST(OnArrays, AttentionEveryVariantDtypeBackendOnOddShapes) {
  // batch, hq, hkv, sq, skv, d
  const int shapes[][6] = {{1, 1, 1, 1, 1, 1},
                           {1, 4, 1, 5, 7, 33},
                           {2, 3, 1, 33, 7, 8},
                           {1, 2, 2, 70, 20, 16},
                           {3, 8, 2, 1, 65, 7}};
  std::uint64_t seed = 100;
  for (const auto& backend : backend_ids()) {
    for (const char* variant : {"kokkos_flash", "unfused", "reference"}) {
      for (const auto& sh : shapes) {
        for (bool causal : {false, true}) {
          const kernels::attention_shape s{sh[0], sh[1], sh[2], sh[3], sh[4], sh[5], causal};
          attention_case<float>(backend, variant, s, std::nullopt, ++seed);
          attention_case<double>(backend, variant, s, std::nullopt, ++seed);
          attention_case<float>(backend, variant, s, 0.3, ++seed);
        }
      }
    }
  }
}

// --- MoE layer ----------------------------------------------------------------------------------

// The layer's check (moe_layer_instance.hpp) on caller arrays: logits within the router
// dot-product bound, routing as moe_gating is checked, output against the oracle's layer over the
// experts the kernel chose with the propagated bound.
template <class T>
void moe_case(const std::string& backend, const std::string& variant, const kernels::moe_shape& s,
              std::uint64_t seed) {
  using W = kernels::moe_ref::wide<T>;
  std::mt19937_64 rng(seed);
  const std::int64_t Tn = s.tokens, E = s.experts, h = s.hidden, I = s.intermediate;
  const auto x = random_vector<T>(std::size_t(Tn * h), rng);
  const auto router = random_vector<T>(std::size_t(h * E), rng, 4 / std::sqrt(double(h)));
  const auto wg = random_vector<T>(std::size_t(E * h * I), rng, 1 / std::sqrt(double(h)));
  const auto wu = random_vector<T>(std::size_t(E * h * I), rng, 1 / std::sqrt(double(h)));
  const auto wd = random_vector<T>(std::size_t(E * I * h), rng, 1 / std::sqrt(double(I)));
  std::vector<T> out(std::size_t(Tn * h)), logits(std::size_t(Tn * E)),
      w(std::size_t(Tn * s.top_k));
  std::vector<std::int32_t> ids(w.size(), -7);
  kernels::moe_layer_arrays arr;
  arr.x = x.data();
  arr.router = router.data();
  arr.w_gate = wg.data();
  arr.w_up = wu.data();
  arr.w_down = wd.data();
  arr.out = out.data();
  arr.logits = logits.data();
  arr.topk_ids = ids.data();
  arr.topk_weights = w.data();
  kernels::moe_layer_on_arrays(rt(), dtype_of<T>(), s, arr, {variant, {}, backend});

  const W u = W(std::numeric_limits<T>::epsilon()) / 2;
  const W fh = 4 * std::sqrt(W(h) + 2) * u;
  kernels::moe_ref::tally t;
  std::vector<T> ref_logits(logits.size());
  std::vector<double> dl(std::size_t(Tn), 0.0);
  for (std::int64_t tok = 0; tok < Tn; ++tok) {
    for (std::int64_t e = 0; e < E; ++e) {
      W acc = 0, mag = 0;
      for (std::int64_t c = 0; c < h; ++c) {
        const W p = W(x[std::size_t(tok * h + c)]) * W(router[std::size_t(c * E + e)]);
        acc += p;
        mag += std::fabs(p);
      }
      const auto i = std::size_t(tok * E + e);
      ref_logits[i] = static_cast<T>(acc);
      dl[std::size_t(tok)] = std::max(dl[std::size_t(tok)], static_cast<double>(fh * mag));
      t.compare(W(logits[i]), acc, fh * mag + 2 * u * std::fabs(acc),
                fmt::format("logits[{},{}]", tok, e));
    }
  }
  kernels::moe_ref::check_routing<T>(t, s, logits.data(), ids.data(), w.data());
  ASSERT_EQ(t.r.bad_elements, 0u) << t.r.first_bad;
  const std::size_t ws = std::size_t(h * I);
  for (std::int64_t tok = 0; tok < Tn; ++tok) {
    const auto sc = kernels::moe_ref::scores<W>(s, ref_logits.data() + tok * E);
    std::vector<std::int64_t> chosen(ids.begin() + tok * s.top_k,
                                     ids.begin() + (tok + 1) * s.top_k);
    const auto wref = kernels::moe_ref::weights_of(s, sc, chosen.data());
    const W rel = W(E + 8) * u + 4 * W(dl[std::size_t(tok)]);
    for (std::int64_t c = 0; c < h; ++c) {
      W want = 0, tol = 0, mag = 0;
      for (std::int64_t j = 0; j < s.top_k; ++j) {
        const std::int64_t e = chosen[std::size_t(j)];
        const auto r = kernels::moe_ref::expert_row<T>(s, x.data() + tok * h, wg.data() + e * ws,
                                                       wu.data() + e * ws, wd.data() + e * ws);
        const W wj = wref[std::size_t(j)];
        want += wj * r.y[std::size_t(c)];
        mag += std::fabs(wj * r.y[std::size_t(c)]);
        tol += std::fabs(wj) * r.tol[std::size_t(c)] +
               rel * std::fabs(wj) * std::fabs(r.y[std::size_t(c)]);
      }
      t.compare(W(out[std::size_t(tok * h + c)]), want,
                tol + 2 * W(s.top_k + 2) * u * mag + W(std::numeric_limits<T>::min()),
                fmt::format("out[{},{}]", tok, c));
    }
  }
  expect_check_passes(t.done("test", "layer bound"),
                      fmt::format("moe_layer {} {} T={} E={} k={} [{}]", variant,
                                  sizeof(T) == 4 ? "f32" : "f64", Tn, E, s.top_k, backend));
}

kernels::moe_shape moe_shape_of(std::int64_t tokens, std::int64_t experts, std::int64_t top_k,
                                std::int64_t hidden, std::int64_t intermediate) {
  kernels::moe_shape s;
  s.tokens = tokens;
  s.experts = experts;
  s.top_k = top_k;
  s.hidden = hidden;
  s.intermediate = intermediate;
  s.block = 4;
  return s;
}

TEST(OnArrays, MoeLayerBothVariantsDtypesBackends) {
  std::vector<kernels::moe_shape> shapes = {
      moe_shape_of(1, 1, 1, 1, 1), moe_shape_of(7, 8, 2, 33, 17), moe_shape_of(33, 5, 5, 7, 3)};
  kernels::moe_shape deepseek = moe_shape_of(9, 16, 3, 16, 8);  // sigmoid, group-limited
  deepseek.scoring = kernels::moe_scoring::sigmoid;
  deepseek.groups = 4;
  deepseek.topk_groups = 2;
  deepseek.routed_scale = 2.5;
  shapes.push_back(deepseek);
  kernels::moe_shape raw = moe_shape_of(5, 6, 2, 8, 4);  // weights not renormalised
  raw.renormalize = false;
  shapes.push_back(raw);
  std::uint64_t seed = 500;
  for (const auto& backend : backend_ids()) {
    for (const char* variant : {"kokkos", "reference"}) {
      for (const auto& s : shapes) {
        moe_case<float>(backend, variant, s, ++seed);
        moe_case<double>(backend, variant, s, ++seed);
      }
    }
  }
}

TEST(OnArrays, MoeGatingOnCallerLogits) {
  for (const auto& backend : backend_ids()) {
    for (const char* variant : {"kokkos", "reference"}) {
      std::mt19937_64 rng(900);
      const std::int64_t tokens = 33, experts = 16, top_k = 3;
      const auto logits = random_vector<float>(std::size_t(tokens * experts), rng, 4.0);
      std::vector<std::int32_t> ids(std::size_t(tokens * top_k), -7);
      std::vector<float> w(ids.size(), std::numeric_limits<float>::quiet_NaN());
      kernels::array_request r;
      r.kernel = "moe_gating";
      r.problem = {{"tokens", 33}, {"experts", 16},   {"top_k", 3},          {"groups", 4},
                   {"topk_groups", 2}, {"scoring", 1}, {"routed_scale", 2.5}};
      r.call = {variant, {}, backend};
      r.arrays = {{"logits", logits.data(), nullptr, logits.size() * sizeof(float)},
                  {"topk_ids", nullptr, ids.data(), ids.size() * sizeof(std::int32_t)},
                  {"topk_weights", nullptr, w.data(), w.size() * sizeof(float)}};
      kernels::run_on_arrays(rt(), r);
      kernels::moe_shape s = moe_shape_of(tokens, experts, top_k, 1, 1);
      s.groups = 4;
      s.topk_groups = 2;
      s.scoring = kernels::moe_scoring::sigmoid;
      s.routed_scale = 2.5;
      expect_check_passes(
          kernels::moe_ref::check_gating<float>(s, logits.data(), ids.data(), w.data()),
          fmt::format("moe_gating {} [{}]", variant, backend));
    }
  }
}

// --- misuse -------------------------------------------------------------------------------------

struct small_gemm {
  std::vector<float> a = std::vector<float>(6, 0.5f), b = std::vector<float>(6, 0.25f),
                     c = std::vector<float>(4);
  kernels::gemm_shape s{2, 2, 3, 1.0, 0.0};
  kernels::array_result run(const array_call& call) {
    return kernels::gemm_on_arrays(rt(), dtype::f32, s, a.data(), b.data(), c.data(), call);
  }
};

TEST(OnArrays, MisuseIsAnErrorNamingTheArgument) {
  small_gemm g;
  expect_usage_error([&] { g.run({"blocked", {}, ""}); }, {"variant:", "blocked", "kokkos_tiled"});
  expect_usage_error(
      [&] {
        g.run({"", parse_key_value_list("tile_q=8", "p"), ""});
      },
      {"params", "tile_q"});
  expect_usage_error(
      [&] {
        g.run({"", parse_key_value_list("tile_m=7", "p"), ""});
      },
      {"params", "tile_m"});
  // A valid point of the space that breaks a constraint.
  expect_usage_error(
      [&] {
        g.run({"", parse_key_value_list("tile_m=6,reg_m=4", "p"), ""});
      },
      {"params:", "tile_m is a multiple of reg_m"});
  expect_usage_error([&] { g.run({"", {}, "sycl"}); }, {"backend:", "sycl"});
  {
    std::vector<float> q(8, 0.5f), o(8);
    const kernels::attention_shape s{1, 1, 1, 2, 2, 4, false};
    expect_usage_error(
        [&] {
          kernels::attention_on_arrays(rt(), dtype::f32, s, std::nan(""), q.data(), q.data(),
                                       q.data(), o.data(), {});
        },
        {"scale:"});
  }
  // A configuration the backend refuses: more threads per team than it has.
  for (const auto& backend : backend_ids()) {
    expect_usage_error(
        [&] {
          g.run({"", parse_key_value_list("team_size=1024", "p"), backend});
        },
        {"params:", "team_size"});
  }
}

TEST(OnArrays, OtherThreadsLaunchOnSerialAndAreToldWhyNotOnOpenMP) {
  for (const auto& backend : backend_ids()) {
    small_gemm g;
    std::string error;
    std::thread worker([&] {
      try {
        g.run({"", {}, backend});
      } catch (const std::exception& e) {
        error = e.what();
      }
    });
    worker.join();
    if (backend == "openmp" && !error.empty()) {
      // Kokkos 3.4's OpenMP instance is thread-local to the initializing thread (later Kokkos
      // versions may launch from any thread: then the result is checked below).
      EXPECT_NE(error.find("backend:"), std::string::npos) << error;
      EXPECT_NE(error.find("thread that initialized Kokkos"), std::string::npos) << error;
    } else {
      EXPECT_EQ(error, "");
      for (float c : g.c) EXPECT_FLOAT_EQ(c, 3 * 0.5f * 0.25f);
    }
  }
}

TEST(OnArrays, ArraysThatDoNotMatchTheOperandsAreCallerBugs) {
  std::vector<float> a(6), b(6), c(4);
  kernels::array_request r;
  r.kernel = "gemm";
  r.problem = {{"m", 2}, {"n", 2}, {"k", 3}};
  r.arrays = {
      {"a", a.data(), nullptr, 24}, {"b", b.data(), nullptr, 24}, {"c", c.data(), c.data(), 16}};
  EXPECT_NO_THROW(kernels::run_on_arrays(rt(), r));
  auto broken = r;
  broken.arrays[1].bytes = 20;
  expect_error<std::logic_error>([&] { kernels::run_on_arrays(rt(), broken); }, {"'b'", "20"});
  broken = r;
  broken.arrays.erase(broken.arrays.begin());
  expect_error<std::logic_error>([&] { kernels::run_on_arrays(rt(), broken); }, {"'a'"});
  broken = r;
  broken.arrays.push_back({"d", a.data(), nullptr, 24});
  expect_error<std::logic_error>([&] { kernels::run_on_arrays(rt(), broken); }, {"'d'"});
  // A stage whose inputs are the layer's internal buffers is not callable on arrays.
  kernels::array_request permute;
  permute.kernel = "moe_permute";
  permute.problem = {{"tokens", 2}, {"experts", 2}, {"top_k", 1}, {"hidden", 2}};
  expect_error<std::logic_error>([&] { kernels::run_on_arrays(rt(), permute); },
                                 {"moe_permute", "caller arrays"});
}

}  // namespace
}  // namespace ridgeline::test
