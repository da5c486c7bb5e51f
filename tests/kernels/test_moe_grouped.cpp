// The MoE experts' grouped GEMM: one launch per projection whatever the number of experts (counted
// through Kokkos's tool callbacks), and both tile structures — accumulate=c (the host default) and
// accumulate=registers (the GPU default) — through the poisoned-output check on the host backends.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <Kokkos_Core.hpp>
#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "kernels/gemm/gemm_tiled.hpp"
#include "kernels/kernel.hpp"
#include "kernels/moe/moe_axes.hpp"
#include "kernels/run.hpp"
#include "tests/kernels/test_support.hpp"

namespace ridgeline::test {
namespace {

// Names of the parallel_for launches while alive (Kokkos calls back on every launch).
class launch_counter {
 public:
  launch_counter() {
    counts().clear();
    Kokkos::Tools::Experimental::set_begin_parallel_for_callback(
        [](const char* name, std::uint32_t, std::uint64_t*) { ++counts()[name]; });
  }
  ~launch_counter() { Kokkos::Tools::Experimental::set_begin_parallel_for_callback(nullptr); }
  launch_counter(const launch_counter&) = delete;
  launch_counter& operator=(const launch_counter&) = delete;

  int of(const std::string& name) const {
    const auto it = counts().find(name);
    return it == counts().end() ? 0 : it->second;
  }
  // Launches whose name starts with `prefix`.
  int starting_with(const std::string& prefix) const {
    int n = 0;
    for (const auto& [name, count] : counts())
      if (name.rfind(prefix, 0) == 0) n += count;
    return n;
  }

 private:
  static std::map<std::string, int>& counts() {
    static std::map<std::string, int> c;
    return c;
  }
};

kernels::run_request moe_check(const std::string& kernel, const std::string& problem,
                               const std::string& backend, const std::string& params = "") {
  kernels::run_request r = kernel_check_request(kernel, "kokkos", "f32", problem, backend, params);
  r.seed = 20261204;
  return r;
}

void expect_passes(const profiler::measurement& m) {
  ASSERT_EQ(m.outcome, profiler::status::ok) << m.reason;
  ASSERT_TRUE(m.check.has_value());
  EXPECT_TRUE(m.check->passed) << m.check->first_bad;
  EXPECT_EQ(m.check->bad_elements, 0u);
}

// 64 experts, 8 of a token's: most experts get rows, one launch per expert would be ~128.
const std::string many_experts = "tokens=37,experts=64,top_k=8,hidden=33,intermediate=19,block=8";

// Runs `kernel` once per host backend and expects, per run of the experts step (one SiLU launch),
// one gate|up and one down launch and `gemm_per_run` plain GEMM launches.
void expect_grouped_launches(const char* kernel, int gemm_per_run) {
  for (const auto& backend : backend_ids()) {
    SCOPED_TRACE(fmt::format("{} {}", kernel, backend));
    launch_counter launches;
    expect_passes(kernels::run_kernel(rt(), moe_check(kernel, many_experts, backend)));
    const int runs = launches.of("ridgeline::moe::silu_mul");
    ASSERT_GE(runs, 1);
    EXPECT_EQ(launches.of("ridgeline::moe::gate_up"), runs);
    EXPECT_EQ(launches.of("ridgeline::moe::down"), runs);
    EXPECT_EQ(launches.starting_with("ridgeline::gemm::"), gemm_per_run * runs);
  }
}

TEST(MoeGrouped, OneLaunchPerProjectionWhateverTheExperts) {
  expect_grouped_launches("moe_grouped_gemm", 0);  // no per-expert GEMM launch
}

TEST(MoeGrouped, TheLayerLaunchesTheRouterGemmAndTwoGroupedOnes) {
  expect_grouped_launches("moe_layer", 1);  // the router GEMM only
}

// The GPU default's structure on the host backends: a team of tile_n / 8 threads per tile (at
// most the backend's threads, 1 on Serial), odd shapes, experts without rows, one expert with all.
TEST(MoeGrouped, RegistersStructureOnEveryHostBackend) {
  for (const auto& backend : backend_ids()) {
    const int threads = std::min(rt().backend(backend).concurrency, 4);
    for (const char* stage : {"l0", "l1"}) {
      const std::string params = fmt::format(
          "accumulate=registers,tile_m=4,tile_n={},tile_k=8,reg_m=4,reg_n=8,team_size=1,"
          "vector_length=1,stage={},panel_layout=rows",
          8 * threads, stage);
      for (const char* problem :
           {"tokens=37,experts=16,top_k=4,hidden=33,intermediate=19,block=8",
            "tokens=1,experts=64,top_k=8,hidden=17,intermediate=9,block=8",
            "tokens=41,experts=12,top_k=1,routing=2,hidden=33,intermediate=19,block=8"}) {
        SCOPED_TRACE(fmt::format("{} {} {}", backend, params, problem));
        expect_passes(
            kernels::run_kernel(rt(), moe_check("moe_grouped_gemm", problem, backend, params)));
        expect_passes(kernels::run_kernel(rt(), moe_check("moe_layer", problem, backend, params)));
      }
    }
  }
}

// scripts/sass_report.py's DEFAULT_LAUNCHES holds these launch shapes for the grouped kernels
// (256 threads; f64 8 x 4 because 8 x 8 spilled there; f32 8 x 8 because the GEMM's 512-thread
// 4 x 8 exceeds what the grouped functor's registers allow): change both together. The CLI's
// default for the experts and layer stages is the same configuration.
TEST(MoeGrouped, GpuDefaultsAreTheShapesTheSassReportChecks) {
  for (const char* backend : {"cuda", "hip"}) {
    for (const auto t : {kernels::dtype::f32, kernels::dtype::f64}) {
      const kernels::gemm_tiled_config c = kernels::moe_default_configs(backend, t).gemm;
      const bool f64 = t == kernels::dtype::f64;
      SCOPED_TRACE(fmt::format("{} {}", backend, kernels::to_string(t)));
      // What `ridgeline run moe_grouped_gemm` / `moe_layer` launch by default (it was the plain
      // GEMM's default once, so the f64 8 x 4 above never reached the CLI).
      for (const char* stage : {"moe_grouped_gemm", "moe_layer"}) {
        const auto& v = kernels::find_kernel(stage).variants().front();
        const kernels::gemm_tiled_config cli =
            kernels::gemm_tiled_axes().typed(v->default_config(backend, t));
        EXPECT_EQ(std::make_tuple(cli.tile_m, cli.tile_n, cli.tile_k, cli.reg_m, cli.reg_n),
                  std::make_tuple(c.tile_m, c.tile_n, c.tile_k, c.reg_m, c.reg_n))
            << stage;
      }
      EXPECT_EQ(c.accumulate, 1);
      EXPECT_EQ(c.tile_m, 128);
      EXPECT_EQ(c.reg_m, 8);
      EXPECT_EQ(c.tile_n, f64 ? 64 : 128);
      EXPECT_EQ(c.reg_n, f64 ? 4 : 8);
      EXPECT_EQ(c.tile_k, 8);
      EXPECT_EQ((c.tile_m / c.reg_m) * (c.tile_n / c.reg_n), 256);
    }
  }
}

}  // namespace
}  // namespace ridgeline::test
