// MoE stages and layer on every host backend, both dtypes, both variants: odd shapes and every
// edge case of KERNELS.md (experts with no tokens, all tokens to one expert, k = E, T = 1, T not a
// multiple of the block size, odd hidden sizes), each through the poisoned-output check against
// the host oracle on fresh random data. Plus the cross-field usage errors.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "kernels/moe/moe_axes.hpp"
#include "kernels/moe/moe_impl.hpp"
#include "kernels/problem_presets.hpp"
#include "kernels/run.hpp"
#include "tests/kernels/test_support.hpp"

namespace ridgeline::test {
namespace {

const char* const moe_kernels[] = {"moe_gating", "moe_permute", "moe_grouped_gemm", "moe_combine",
                                   "moe_layer"};

// `problem` may hold fields a stage does not have (hidden for gating...): they are dropped here.
kernels::run_request moe_request(const std::string& kernel, const std::string& variant,
                                 const std::string& dtype, const std::string& problem,
                                 const std::string& backend, const std::string& params = "") {
  std::string fields;
  for (const auto& kv : parse_key_value_list(problem, "--problem")) {
    for (const auto& f : kernels::find_kernel(kernel).problem_fields())
      if (f.name == kv.first) fields += (fields.empty() ? "" : ",") + kv.first + "=" + kv.second;
  }
  kernels::run_request r = kernel_check_request(kernel, variant, dtype, fields, backend, params);
  r.seed = 20261126;
  return r;
}

void expect_passes(const kernels::run_request& r) {
  const profiler::measurement m = kernels::run_kernel(rt(), r);
  SCOPED_TRACE(fmt::format("{} {} {} {} [{}] [{}]", m.kernel, m.variant, m.dtype, m.problem_text(),
                           m.params_text(), r.backend));
  ASSERT_EQ(m.outcome, profiler::status::ok) << m.reason;
  ASSERT_TRUE(m.check.has_value());
  EXPECT_TRUE(m.check->passed) << m.check->first_bad;
  EXPECT_EQ(m.check->bad_elements, 0u);
  EXPECT_GT(m.check->elements, 0u);
  EXPECT_LE(m.check->max_error_over_bound, 1.0);
}

void every_kernel(const std::string& problem, const std::string& dtype = "f32",
                  const char* const* variants = nullptr) {
  static const char* const both[] = {"kokkos", "reference", nullptr};
  for (const auto& backend : backend_ids()) {
    for (const char* kernel : moe_kernels) {
      for (const char* const* v = variants ? variants : both; *v; ++v) {
        expect_passes(moe_request(kernel, *v, dtype, problem, backend));
      }
    }
  }
}

const std::string base = "hidden=33,intermediate=19,block=8";

TEST(Moe, OddShapesBothDtypes) {
  for (const char* dtype : {"f32", "f64"}) {
    every_kernel("tokens=37,experts=16,top_k=4," + base, dtype);
    every_kernel("tokens=13,experts=5,top_k=2,hidden=7,intermediate=3,block=3", dtype);
  }
}

TEST(Moe, DeepSeekGroupLimitedSigmoidRouting) {
  for (const char* dtype : {"f32", "f64"}) {
    every_kernel(
        "tokens=29,experts=64,top_k=6,groups=8,topk_groups=3,scoring=1,routed_scale=2.5," + base,
        dtype);
  }
  // One expert per group (the group score is the expert's own score).
  every_kernel("tokens=9,experts=8,top_k=3,groups=8,topk_groups=4,scoring=1," + base);
}

TEST(Moe, SingleTokenLeavesMostExpertsEmpty) {
  // T = 1 (decode): 8 of 64 experts get a row, the other 56 get none and launch nothing.
  every_kernel("tokens=1,experts=64,top_k=8," + base);
  every_kernel("tokens=1,experts=64,top_k=8,groups=8,topk_groups=2,scoring=1," + base, "f64");
}

TEST(Moe, AllTokensToOneExpert) {
  // routing=2: expert E-1's logit is far ahead; with k = 1 every token goes to it.
  every_kernel("tokens=41,experts=12,top_k=1,routing=2," + base);
  every_kernel("tokens=41,experts=12,top_k=3,routing=2," + base, "f64");
}

TEST(Moe, TiedLogitsGoToTheLowestIds) {
  // All logits equal: every token's experts must be 0..k-1 (the check allows no other choice
  // for exact ties), so experts k..E-1 get no tokens at all.
  every_kernel("tokens=23,experts=10,top_k=3,routing=1," + base);
  every_kernel("tokens=23,experts=16,top_k=3,groups=4,topk_groups=2,scoring=1,routing=1," + base);
}

TEST(Moe, KEqualsE) {
  every_kernel("tokens=19,experts=6,top_k=6," + base);
  every_kernel("tokens=19,experts=6,top_k=6,renormalize=0," + base, "f64");
}

TEST(Moe, TokensNotAMultipleOfTheBlock) {
  every_kernel("tokens=37,experts=4,top_k=2,hidden=17,intermediate=9,block=16");
  every_kernel("tokens=5,experts=3,top_k=2,hidden=1,intermediate=1,block=64");
}

TEST(Moe, AxesAcrossTheirRange) {
  const std::string p = "tokens=45,experts=24,top_k=5," + base;
  for (const auto& backend : backend_ids()) {
    const int threads = rt().backend(backend).concurrency;
    for (int tpt : {1, 4, 64}) {
      expect_passes(moe_request("moe_gating", "kokkos", "f32", p, backend,
                                fmt::format("tokens_per_team={},team_size={}", tpt, threads)));
      expect_passes(moe_request(
          "moe_combine", "kokkos", "f64", p, backend,
          fmt::format("tokens_per_team={},team_size={},vector_length=4", tpt, threads)));
    }
    for (int chunk : {16, 64, 65536}) {
      expect_passes(
          moe_request("moe_permute", "kokkos", "f32", p, backend,
                      fmt::format("chunk={},tokens_per_team=2,team_size={}", chunk, threads)));
    }
    for (const char* stage : {"none", "l0", "l1"}) {
      const std::string gemm =
          fmt::format("tile_m=8,tile_n=16,tile_k=16,reg_m=4,reg_n=8,stage={}", stage);
      expect_passes(moe_request("moe_grouped_gemm", "kokkos", "f32", p, backend, gemm));
      expect_passes(moe_request("moe_layer", "kokkos", "f64", p, backend, gemm));
    }
  }
}

TEST(Moe, BackendLimitsAreRecordedOutcomes) {
  const std::string backend = backend_ids().front();
  const auto m = kernels::run_kernel(
      rt(), moe_request("moe_gating", "kokkos", "f32", "tokens=4,experts=4096,top_k=2", backend,
                        "tokens_per_team=1,team_size=1024"));
  EXPECT_EQ(m.outcome, profiler::status::invalid_config);
  EXPECT_FALSE(m.reason.empty());
}

TEST(Moe, InconsistentProblemsAreUsageErrorsNamingTheField) {
  struct bad_case {
    const char* kernel;
    const char* problem;
    const char* mentions;
  };
  const bad_case cases[] = {
      {"moe_gating", "tokens=4,experts=4,top_k=5", "top_k must be <= experts"},
      {"moe_gating", "tokens=4,experts=16,top_k=2,groups=4,topk_groups=5",
       "topk_groups must be <= groups"},
      {"moe_gating", "tokens=4,experts=10,top_k=2,groups=4,topk_groups=1",
       "experts must be a multiple of groups"},
      {"moe_gating", "tokens=4,experts=16,top_k=5,groups=4,topk_groups=1", "top_k must be <="},
      {"moe_gating", "tokens=4,experts=16,top_k=2,scoring=2", "scoring must be 0"},
      {"moe_gating", "tokens=4,experts=16,top_k=0", "top_k must be >= 1"},
      {"moe_layer", "tokens=4,experts=16,top_k=2,hidden=8", "missing 'intermediate'"},
  };
  for (const auto& c : cases) {
    try {
      kernel_check_request(c.kernel, "", "f32", c.problem, "");
      ADD_FAILURE() << "no usage_error for " << c.problem;
    } catch (const usage_error& e) {
      EXPECT_NE(std::string(e.what()).find(c.mentions), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("--problem"), std::string::npos) << e.what();
    }
  }
}

TEST(Moe, WorkModels) {
  const auto parse = [](const char* kernel, const char* text) {
    const auto& k = kernels::find_kernel(kernel);
    return k.work(k.parse_problem(parse_key_value_list(text, "p"), "p"), kernels::dtype::f32);
  };
  const char* p = "tokens=10,experts=16,top_k=2,hidden=8,intermediate=4";
  const auto g = parse("moe_grouped_gemm", p);
  EXPECT_EQ(g.total_flops(), 6u * 10 * 2 * 8 * 4);
  // min(E, T*k) = 16 experts' weights + rows in and out.
  EXPECT_EQ(g.bytes_at("dram"), 16u * 3 * 8 * 4 * 4 + 2u * 10 * 2 * 8 * 4);
  // T*k = 2 < E: at most 2 experts' weights are read.
  const auto d = parse("moe_grouped_gemm", "tokens=1,experts=16,top_k=2,hidden=8,intermediate=4");
  EXPECT_EQ(d.bytes_at("dram"), 2u * 3 * 8 * 4 * 4 + 2u * 1 * 2 * 8 * 4);
  const auto c = parse("moe_combine", "tokens=10,experts=16,top_k=2,hidden=8");
  EXPECT_EQ(c.total_flops(), 2u * 10 * 2 * 8);
  EXPECT_EQ(c.bytes_at("dram"), 4u * 10 * 2 * 8 + 10u * 2 * 8 + 4u * 10 * 8);
  const auto pe = parse("moe_permute", "tokens=10,experts=16,top_k=2,hidden=8");
  EXPECT_TRUE(pe.flops.empty());
  EXPECT_EQ(pe.bytes_at("dram"), 3u * 20 * 4 + 4u * 10 * 8 + 4u * 20 * 8);
  const auto ga = parse("moe_gating", "tokens=10,experts=16,top_k=2");
  EXPECT_EQ(ga.bytes_at("dram"), 4u * 10 * 16 + 10u * 2 * 8);
}

// The GPU default gating configuration fits the level-0 scratch Kokkos's CUDA and HIP backends
// allow (40,960 bytes: recorded on an H200, docs/device-runs.md run B, where the old default
// needed 73,748 at DeepSeek-V3's 256 experts) at every shipped preset, in both dtypes. Scratch
// grows with threads per team x experts (each thread routes one token in its own scores).
TEST(Moe, GpuDefaultGatingFitsGpuScratchAtEveryPreset) {
  constexpr std::size_t gpu_scratch_max = 40960;
  const std::string dir = kernels::default_problem_preset_dir();
  const auto& gating = kernels::find_kernel("moe_gating");
  for (const auto& name : kernels::problem_preset_names(dir)) {
    const auto shape = kernels::to_moe_shape(
        gating.parse_problem(kernels::preset_problem("moe_gating", name, 4096, dir), "--preset"));
    const auto d = kernels::moe_detail::to_dev(shape);
    for (const char* backend : {"cuda", "hip"}) {
      const int team = kernels::moe_gating_axes().typed_default(backend).team_size;
      using host = Kokkos::DefaultHostExecutionSpace;
      EXPECT_LE((kernels::moe_detail::gating_functor<double, host>::scratch_bytes(d, team)),
                gpu_scratch_max)
          << name << " " << backend << " f64, team_size " << team;
      EXPECT_LE((kernels::moe_detail::gating_functor<float, host>::scratch_bytes(d, team)),
                gpu_scratch_max)
          << name << " " << backend << " f32, team_size " << team;
    }
  }
}

}  // namespace
}  // namespace ridgeline::test
