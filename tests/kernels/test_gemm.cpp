// GEMM correctness on every host backend, both dtypes, every variant, odd and degenerate shapes,
// and across the tiled variant's axes. Every case runs the poisoned-output check against the
// higher-precision reference on fresh random data.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "kernels/gemm/gemm_tiled.hpp"
#include "kernels/host_isa.hpp"
#include "kernels/kernel.hpp"
#include "tests/kernels/test_support.hpp"

namespace ridgeline::test {
namespace {

void expect_passes(const kernels::run_request& r) {
  const profiler::measurement m = kernels::run_kernel(rt(), r);
  SCOPED_TRACE(fmt::format("{} {} {} {} [{}]", m.variant, m.dtype, m.problem_text(),
                           m.params_text(), r.backend));
  ASSERT_EQ(m.outcome, profiler::status::ok) << m.reason;
  ASSERT_TRUE(m.check.has_value());
  EXPECT_TRUE(m.check->passed) << m.check->first_bad;
  EXPECT_EQ(m.check->bad_elements, 0u);
  EXPECT_LE(m.check->max_error_over_bound, 1.0);
}

// M/N/K = 1, primes, tall-skinny, wide, deep K.
const char* const odd_shapes[] = {
    "m=1,n=1,k=1",     "m=2,n=3,k=5",      "m=7,n=11,k=13",   "m=257,n=129,k=31",
    "m=1,n=515,k=301", "m=1000,n=3,k=17",  "m=3,n=1000,k=17", "m=17,n=19,k=1031",
    "m=97,n=101,k=1",  "m=131,n=67,k=263",
};

TEST(Gemm, EveryVariantDtypeBackendOnOddShapes) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (const char* variant : {"kokkos_tiled", "vendor", "reference"}) {
        for (const char* shape : odd_shapes) {
          expect_passes(check_request(variant, dtype, shape, backend));
        }
      }
    }
  }
}

TEST(Gemm, DecodeShapesMFrom1To16) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (int m = 1; m <= 16; ++m) {
        expect_passes(
            check_request("kokkos_tiled", dtype, fmt::format("m={},n=384,k=257", m), backend));
      }
    }
  }
}

TEST(Gemm, AlphaBetaReadAndScaleC) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (const char* variant : {"kokkos_tiled", "vendor", "reference"}) {
        expect_passes(
            check_request(variant, dtype, "m=45,n=77,k=300,alpha=-0.75,beta=1.5", backend));
        expect_passes(
            check_request(variant, dtype, "m=45,n=77,k=300,alpha=2,beta=-1", backend, ""));
      }
      // beta != 0 with several K steps: later steps must accumulate, not rescale C again.
      expect_passes(
          check_request("kokkos_tiled", dtype, "m=33,n=40,k=100,beta=0.5", backend, "tile_k=16"));
    }
  }
}

TEST(Gemm, EveryRegisterTileAndStage) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (int rm : kernels::gemm_reg_m::values) {
        for (int rn : kernels::gemm_reg_n::values) {
          for (const char* stage : {"none", "l0", "l1"}) {
            for (const char* layout : {"rows", "micro"}) {
              // Tiles small enough for scratch level 0 (32 KiB on host backends).
              const std::string params = fmt::format(
                  "tile_m={},tile_n={},tile_k=16,reg_m={},reg_n={},stage={},panel_layout={}",
                  rm * 4, rn * 2, rm, rn, stage, layout);
              expect_passes(
                  check_request("kokkos_tiled", dtype, "m=67,n=45,k=39", backend, params));
            }
          }
        }
      }
    }
  }
}

TEST(Gemm, TilesLargerThanTheMatrixAndTeamsOfSeveralThreads) {
  for (const auto& backend : backend_ids()) {
    const int max_team = rt().backend(backend).concurrency;
    for (const char* stage : {"none", "l1"}) {
      expect_passes(check_request("kokkos_tiled", "f32", "m=5,n=9,k=3", backend,
                                  fmt::format("tile_m=256,tile_n=512,tile_k=1024,reg_m=8,"
                                              "reg_n=32,stage={}",
                                              stage)));
      expect_passes(check_request("kokkos_tiled", "f64", "m=131,n=95,k=77", backend,
                                  fmt::format("tile_m=32,tile_n=32,tile_k=32,reg_m=4,reg_n=8,"
                                              "team_size={},stage={}",
                                              max_team, stage)));
    }
  }
}

// accumulate=registers (the GPU structure: one micro-tile per thread for the whole K loop,
// double-buffered panels, C written once) on the host backends: every register tile, one thread and
// as many as the backend allows per team, K shorter than, equal to and not a multiple of tile_k.
TEST(Gemm, RegistersStructureEveryRegisterTileAndTeamShape) {
  for (const auto& backend : backend_ids()) {
    const int max_team = rt().backend(backend).concurrency;
    for (const char* dtype : {"f32", "f64"}) {
      for (int rm : kernels::gemm_reg_m::values) {
        for (int rn : kernels::gemm_reg_n::values) {
          for (const int threads_n : {1, max_team}) {
            const std::string params = fmt::format(
                "accumulate=registers,tile_m={},tile_n={},tile_k=16,reg_m={},reg_n={},stage=l0,"
                "panel_layout=rows",
                rm, rn * threads_n, rm, rn);
            for (const char* shape : {"m=67,n=45,k=39", "m=5,n=3,k=16", "m=9,n=70,k=1"}) {
              expect_passes(check_request("kokkos_tiled", dtype, shape, backend, params));
            }
          }
        }
      }
    }
  }
}

TEST(Gemm, RegistersStructureOddShapesAlphaBetaAndScratchLevel1) {
  for (const auto& backend : backend_ids()) {
    const int max_team = rt().backend(backend).concurrency;
    for (const char* dtype : {"f32", "f64"}) {
      const std::string params = fmt::format(
          "accumulate=registers,tile_m=8,tile_n={},tile_k=8,reg_m=8,reg_n=8,stage=l1,"
          "panel_layout=rows",
          8 * max_team);
      for (const char* shape : odd_shapes) {
        expect_passes(check_request("kokkos_tiled", dtype, shape, backend, params));
      }
      // beta != 0 over several K steps: C is read once, at the end.
      expect_passes(check_request("kokkos_tiled", dtype, "m=33,n=40,k=100,alpha=-0.75,beta=1.5",
                                  backend, params));
      expect_passes(
          check_request("kokkos_tiled", dtype, "m=33,n=40,k=100,beta=0.5", backend, params));
    }
  }
}

TEST(Gemm, RegistersStructureRefusesWhatItCannotRun) {
  const std::string backend = backend_ids().front();
  const char* const cases[][2] = {
      {"accumulate=registers,team_size=2", "team_size and vector_length are 1"},
      {"accumulate=registers,stage=none", "stage l0 or l1"},
      {"accumulate=registers,panel_layout=micro", "panel_layout=rows"},
      // 128 x 512 / 1 x 4 = 16384 threads: no backend runs a team that large.
      {"accumulate=registers,tile_m=128,tile_n=512,reg_m=1,reg_n=4,stage=l1,panel_layout=rows",
       "one thread per micro-tile"},
  };
  for (const auto& c : cases) {
    const profiler::measurement m = kernels::run_kernel(
        rt(), check_request("kokkos_tiled", "f32", "m=64,n=64,k=64", backend, c[0]));
    EXPECT_EQ(m.outcome, profiler::status::invalid_config) << c[0];
    EXPECT_NE(m.reason.find(c[1]), std::string::npos) << m.reason;
  }
}

// The GPU default is the registers structure over a 128 x 128 tile: f32 4 x 8 per thread (512
// threads) and K steps of 16, f64 8 x 8 (256 threads) and K steps of 8 (gemm_tiled.cpp: measured
// on an H200), valid under the declared constraints.
TEST(Gemm, GpuDefaultKeepsAccumulatorsInRegisters) {
  using kernels::dtype;
  for (const char* backend : {"cuda", "hip"}) {
    for (const dtype t : {dtype::f32, dtype::f64}) {
      const tuner::config c = kernels::gemm_tiled_default(backend, t);
      const bool f32 = t == dtype::f32;
      EXPECT_EQ(c.at("accumulate"), 1) << backend;
      // scripts/sass_report.py's DEFAULT_LAUNCHES holds these launch shapes (threads, two K-step
      // buffers of (128 + 16 bytes of padding + 128) x tile_k elements): change both together.
      EXPECT_EQ(c.at("tile_m"), 128) << backend;
      EXPECT_EQ(c.at("tile_n"), 128) << backend;
      EXPECT_EQ(c.at("tile_k"), f32 ? 16 : 8) << backend;
      EXPECT_EQ(c.at("reg_m"), f32 ? 4 : 8) << backend;
      EXPECT_EQ(c.at("reg_n"), 8) << backend;
      EXPECT_FALSE(kernels::gemm_tiled_axes().space().violation(c).has_value());
    }
  }
}

TEST(Gemm, InvalidConfigurationsAreRecordedOutcomes) {
  const std::string backend = backend_ids().front();
  struct bad_case {
    const char* params;
    const char* reason_mentions;
  };
  const bad_case cases[] = {
      {"tile_m=7", "outside its axis"},
      {"tile_m=8,reg_m=6", "tile_m is a multiple of reg_m"},
      {"tile_n=4,reg_n=8", "tile_n is a multiple of reg_n"},
      {"tile_m=256,tile_n=512,tile_k=1024,reg_m=8,reg_n=32,stage=l0", "scratch level 0"},
      {"team_size=1024", "team_size=1024 exceeds"},
  };
  for (const auto& c : cases) {
    const profiler::measurement m = kernels::run_kernel(
        rt(), check_request("kokkos_tiled", "f32", "m=64,n=64,k=64", backend, c.params));
    EXPECT_EQ(m.outcome, profiler::status::invalid_config) << c.params;
    EXPECT_NE(m.reason.find(c.reason_mentions), std::string::npos) << m.reason;
    EXPECT_FALSE(m.timing.has_value());
    EXPECT_FALSE(m.check.has_value());
  }
}

// The host default's register tile is two vectors of the dtype per row, with rows to spare for the
// B vectors and the broadcast A value in the ISA's register file (issue 13: 8 x 32 f64 needed 32
// accumulators on AVX-512 and swept column blocks).
TEST(Gemm, HostDefaultRegisterTileFitsTheRegisterFileInEachDtype) {
  using kernels::dtype;
  const kernels::host_vector_isa isa = kernels::kernels_host_isa();
  if (isa.vector_bytes > 0) {
    for (const dtype t : {dtype::f32, dtype::f64}) {
      const tuner::config c = kernels::gemm_tiled_default("openmp", t);
      const int lanes = isa.vector_bytes / (t == dtype::f32 ? 4 : 8);
      EXPECT_EQ(c.at("reg_n"), std::min(32, 2 * lanes)) << kernels::to_string(t) << " " << isa.name;
      EXPECT_LE(c.at("reg_m") * 2 + 3, isa.vector_registers) << kernels::to_string(t);
      EXPECT_GE(c.at("reg_m"), 6) << kernels::to_string(t);
      EXPECT_FALSE(kernels::gemm_tiled_axes().space().violation(c).has_value());
    }
  }
  EXPECT_EQ(kernels::gemm_tiled_default("cuda", dtype::f64),
            kernels::gemm_tiled_axes().default_for("cuda"));
}

TEST(Gemm, WorkModelIsTwoMNKAndMinimalBytes) {
  const auto& k = kernels::find_kernel("gemm");
  const auto p = k.parse_problem(parse_key_value_list("m=3,n=5,k=7", "p"), "p");
  const auto w = k.work(p, kernels::dtype::f32);
  ASSERT_EQ(w.flops.size(), 1u);
  EXPECT_EQ(w.flops[0].count, 2u * 3 * 5 * 7);
  EXPECT_EQ(w.flops[0].precision, "f32");
  EXPECT_EQ(w.flops[0].unit, "simt");
  EXPECT_EQ(w.bytes_at("dram"), 4u * (3 * 7 + 7 * 5 + 3 * 5));
  const auto pb = k.parse_problem(parse_key_value_list("m=3,n=5,k=7,beta=1", "p"), "p");
  EXPECT_EQ(k.work(pb, kernels::dtype::f64).bytes_at("dram"), 8u * (3 * 7 + 7 * 5 + 2 * 3 * 5));
}

}  // namespace
}  // namespace ridgeline::test
