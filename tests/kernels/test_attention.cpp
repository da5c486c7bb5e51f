// Attention correctness on every host backend, both dtypes, every variant, odd and degenerate
// shapes (d = 1 and 67, sq = 1, skv = 1, lengths that are not multiples of the tiles, batch > 1,
// hq/hkv = 1, 2, 3, 4, 8, MQA, causal rows that see no key), across the flash variant's axes,
// with the poisoned-output check against the wide reference on fresh random data. Plus the
// problem validation, the work model and the unfused variant's memory refusal.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <array>

#include "core/error.hpp"
#include "kernels/attention/attention_flash.hpp"
#include "kernels/attention/attention_flash_impl.hpp"  // the functor's scratch size
#include "kernels/kernel.hpp"
#include "tests/kernels/test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::test {
namespace {

kernels::run_request attention_request(const std::string& variant, const std::string& dtype,
                                       const std::string& problem, const std::string& backend,
                                       const std::string& params = "") {
  return kernel_check_request("attention", variant, dtype, problem, backend, params);
}

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

const char* const odd_shapes[] = {
    "hq=1,hkv=1,sq=1,skv=1,d=1",              // everything 1
    "hq=2,hkv=1,sq=1,skv=1,d=64",             // one key, MQA
    "hq=4,hkv=1,sq=5,skv=7,d=67",             // sq < skv, odd d
    "batch=2,hq=4,hkv=4,sq=33,skv=33,d=64",   // MHA prefill, batch > 1
    "batch=3,hq=8,hkv=1,sq=17,skv=70,d=3",    // MQA 8:1, sq < skv
    "hq=8,hkv=2,sq=1,skv=300,d=128",          // GQA 4:1 decode
    "hq=8,hkv=1,sq=1,skv=1000,d=128",         // MQA decode, longer cache
    "hq=2,hkv=2,sq=70,skv=20,d=16",           // sq > skv: causal rows that see no key
    "batch=2,hq=3,hkv=1,sq=129,skv=129,d=1",  // 3:1, d = 1, lengths past a power of two
    "hq=6,hkv=2,sq=100,skv=131,d=67",         // 3:1, nothing a multiple of any tile
};

TEST(Attention, EveryVariantDtypeBackendOnOddShapes) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (const char* variant : {"kokkos_flash", "unfused", "reference"}) {
        for (const char* shape : odd_shapes) {
          for (int causal : {0, 1}) {
            expect_passes(attention_request(variant, dtype,
                                            fmt::format("{},causal={}", shape, causal), backend));
          }
        }
      }
    }
  }
}

TEST(Attention, FlashEveryRegisterTileScratchLevelAndSplit) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (int rm : kernels::attention_reg_m::values) {
        for (int rn : kernels::attention_reg_n::values) {
          for (const char* chunk : {"64", "1073741824"}) {  // 2 chunks of skv = 101, or none
            for (const char* stage_k : {"scratch", "none"}) {
              for (int d : {67, 64}) {  // V staged, or (stage_k=none, d % reg_n == 0) in place
                // tile_q = 24 and tile_k = 48 or 96: neither the 37 x 2 rows of a group nor the
                // 101 keys are multiples of them.
                const std::string params =
                    fmt::format("tile_q=24,tile_k={},reg_m={},reg_n={},kv_chunk={},stage_k={}",
                                rn == 32 ? 96 : 48, rm, rn, chunk, stage_k);
                const int causal = d == 64;
                expect_passes(attention_request(
                    "kokkos_flash", dtype,
                    fmt::format("batch=2,hq=4,hkv=2,sq=37,skv=101,d={},causal={}", d, causal),
                    backend, params));
              }
            }
          }
        }
      }
      // Scratch level 0 (32 KiB on host backends) with tiles that fit it.
      for (const char* stage_k : {"scratch", "none"}) {
        expect_passes(attention_request(
            "kokkos_flash", dtype, "hq=4,hkv=2,sq=19,skv=45,d=67,causal=1", backend,
            fmt::format("tile_q=8,tile_k=16,reg_m=8,reg_n=8,scratch=l0,stage_k={}", stage_k)));
      }
    }
  }
}

TEST(Attention, FlashTeamsOfSeveralThreadsAndTinyTiles) {
  for (const auto& backend : backend_ids()) {
    const int max_team = rt().backend(backend).concurrency;
    for (const char* dtype : {"f32", "f64"}) {
      for (int causal : {0, 1}) {
        const std::string problem =
            fmt::format("batch=2,hq=8,hkv=2,sq=29,skv=77,d=33,causal={}", causal);
        expect_passes(attention_request(
            "kokkos_flash", dtype, problem, backend,
            fmt::format("tile_q=16,tile_k=32,reg_m=4,reg_n=8,team_size={},kv_chunk=64", max_team)));
        for (const char* stage_k : {"scratch", "none"}) {
          expect_passes(attention_request("kokkos_flash", dtype, problem, backend,
                                          fmt::format("tile_q=1,tile_k=8,reg_m=1,reg_n=8,"
                                                      "stage_k={}",
                                                      stage_k)));
        }
        // Tiles far larger than the problem.
        expect_passes(attention_request("kokkos_flash", dtype, problem, backend,
                                        "tile_q=256,tile_k=512,reg_m=8,reg_n=32"));
      }
    }
  }
}

TEST(Attention, DecodeOverALongCacheWithManySplits) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (int causal : {0, 1}) {
        const std::string problem =
            fmt::format("batch=2,hq=32,hkv=4,sq=1,skv=5000,d=128,causal={}", causal);
        expect_passes(attention_request("kokkos_flash", dtype, problem, backend, "kv_chunk=256"));
        expect_passes(attention_request("kokkos_flash", dtype, problem, backend,
                                        "kv_chunk=1024,tile_q=8,reg_n=8,stage_k=scratch"));
        expect_passes(attention_request("kokkos_flash", dtype, problem, backend));  // default
        // A short speculative-decode block (sq = 3) over the cache: causal alignment at the end.
        expect_passes(attention_request(
            "kokkos_flash", dtype, fmt::format("hq=8,hkv=1,sq=3,skv=999,d=64,causal={}", causal),
            backend, "kv_chunk=128,tile_q=8,reg_m=8"));
      }
    }
  }
}

// The provenance fact `key` of a passing checked run.
std::string fact(const profiler::measurement& m, const std::string& key) {
  for (const auto& [k, v] : m.provenance) {
    if (k == key) return v;
  }
  return "";
}

TEST(Attention, FlatTeamMapOnEveryStagingPathAndSplit) {
  // team_map=flat (the GPU default) on the host backends: same results as nested, through the
  // staged and in-place K paths, V staged or in place, one chunk or several, teams of one or of
  // every thread.
  for (const auto& backend : backend_ids()) {
    const int max_team = rt().backend(backend).concurrency;
    for (const char* dtype : {"f32", "f64"}) {
      for (const char* stage_k : {"scratch", "none"}) {
        for (const char* chunk : {"64", "auto"}) {
          for (int team : {1, max_team}) {
            for (int d : {67, 64}) {
              const std::string params = fmt::format(
                  "tile_q=16,tile_k=16,reg_m=4,reg_n=8,team_size={},kv_chunk={},stage_k={},"
                  "team_map=flat",
                  team, chunk, stage_k);
              expect_passes(attention_request(
                  "kokkos_flash", dtype,
                  fmt::format("batch=2,hq=6,hkv=2,sq=21,skv=101,d={},causal={}", d, int(d == 64)),
                  backend, params));
              expect_passes(attention_request("kokkos_flash", dtype,
                                              fmt::format("hq=8,hkv=1,sq=1,skv=1,d={}", d), backend,
                                              params));  // a 1-token cache
            }
          }
        }
      }
    }
  }
}

TEST(Attention, GpuDefaultConfigurationRunsOnTheHost) {
  // The GPU default's tiles, mapping, scratch=auto and auto split, checked on the CPU (same
  // Kokkos code) with the host's team shape (a host team has no 8 x 4 shape). Host level 0 holds
  // 32 KiB: auto picks level 1 at d = 128 and level 0 at d = 64.
  const auto gpu = kernels::attention_flash_axes().typed_default("cuda");
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (const char* shape :
           {"hq=32,hkv=4,sq=1,skv=3001,d=128,causal=1", "hq=12,hkv=3,sq=77,skv=77,d=128,causal=1",
            "hq=12,hkv=3,sq=77,skv=77,d=128,causal=0", "hq=16,hkv=2,sq=1,skv=2049,d=64,causal=0"}) {
        expect_passes(attention_request(
            "kokkos_flash", dtype, shape, backend,
            fmt::format("tile_q={},tile_k={},reg_m={},reg_n={},stage_k={},team_map={},"
                        "kv_chunk=auto,scratch=auto",
                        gpu.tile_q, gpu.tile_k, gpu.reg_m, gpu.reg_n,
                        gpu.stage_k == 0 ? "scratch" : "none",
                        gpu.team_map == 0 ? "nested" : "flat")));
      }
    }
  }
}

TEST(Attention, GpuDefaultScratchFitsTheDefaultSharedMemoryOfABlock) {
  // 40 KiB: Kokkos 3.4's level-0 maximum on CUDA (of the 48 KiB a block gets without opting
  // into more); at D = 128, f32, the prefill and decode head dimension the H200 runs use. The
  // functor is instantiated on the host space: scratch sizes do not depend on the backend.
  const auto gpu = kernels::attention_flash_axes().typed_default("cuda");
  EXPECT_EQ(gpu.scratch, 2) << "auto: level 0 where it fits (level 1 is global memory on CUDA)";
  const std::size_t bytes =
      kernels::dispatch_value_pair<kernels::attention_reg_m, kernels::attention_reg_n>(
          gpu.reg_m, gpu.reg_n, [&](auto rm, auto rn) {
            return kernels::detail::attention_flash_functor<
                float, Kokkos::DefaultHostExecutionSpace, decltype(rm)::value,
                decltype(rn)::value>::scratch_bytes(gpu.tile_q, gpu.tile_k, 128, gpu.stage_k);
          });
  EXPECT_LE(bytes, 40u * 1024u);
}

TEST(Attention, RegNAutoFollowsTheQueryRowsOrTheKeyTile) {
  // Shapes as hq, hkv, sq (batch 1, skv 4096, d 128: they do not enter).
  const auto reg_n = [](std::array<int, 3> h, int tile_q, int tile_k, int stage_k, int asked = 0) {
    kernels::attention_flash_config c = kernels::attention_flash_axes().typed_default("openmp");
    c.tile_q = tile_q;
    c.tile_k = tile_k;
    c.stage_k = stage_k;
    c.reg_n = asked;
    kernels::attention_shape shape;
    shape.hq = h[0];
    shape.hkv = h[1];
    shape.sq = h[2];
    shape.skv = 4096;
    shape.d = 128;
    return kernels::resolve_reg_n(shape, c).reg_n;
  };
  // K in place: the columns are query rows.
  EXPECT_EQ(reg_n({32, 4, 1}, 64, 128, 1), 8);  // GQA 8:1 decode
  EXPECT_EQ(reg_n({12, 3, 1}, 64, 128, 1), 8);  // 4 rows: the narrowest
  EXPECT_EQ(reg_n({32, 2, 1}, 64, 128, 1), 16);
  EXPECT_EQ(reg_n({16, 16, 2048}, 64, 128, 1), 32);  // prefill
  EXPECT_EQ(reg_n({16, 16, 2048}, 16, 128, 1), 16);  // small tile
  // K staged: the columns are keys of the tile.
  EXPECT_EQ(reg_n({32, 4, 1}, 64, 48, 0), 16);
  EXPECT_EQ(reg_n({32, 4, 1}, 64, 128, 0), 32);
  EXPECT_EQ(reg_n({32, 4, 1}, 64, 8, 0), 8);
  // Explicit values pass through.
  EXPECT_EQ(reg_n({32, 4, 1}, 64, 128, 1, 32), 32);
  // And the host default is auto, checked on a decode and a prefill.
  for (const auto& backend : backend_ids()) {
    for (const char* shape : {"batch=2,hq=32,hkv=4,sq=1,skv=777,d=128,causal=1",
                              "hq=4,hkv=4,sq=130,skv=130,d=64,causal=1"}) {
      expect_passes(attention_request("kokkos_flash", "f32", shape, backend, "reg_n=auto"));
    }
  }
}

TEST(Attention, AutoKvChunkSplitsALongCacheAndNotATinyOne) {
  for (const auto& backend : backend_ids()) {
    for (const char* dtype : {"f32", "f64"}) {
      for (int causal : {0, 1}) {
        // One KV head: one team without a split, fewer than the host's threads x waves.
        auto r = attention_request("kokkos_flash", dtype,
                                   fmt::format("hq=8,hkv=1,sq=1,skv=4099,d=64,causal={}", causal),
                                   backend, "kv_chunk=auto,tile_k=128");
        profiler::measurement m = kernels::run_kernel(rt(), r);
        ASSERT_EQ(m.outcome, profiler::status::ok) << m.reason;
        EXPECT_TRUE(m.check && m.check->passed);
        EXPECT_GT(std::stoi(fact(m, "attention_kv_splits")), 1) << backend;
        EXPECT_EQ(std::stoi(fact(m, "attention_kv_chunk")) % 128, 0);
        m = kernels::run_kernel(
            rt(), attention_request("kokkos_flash", dtype, "hq=8,hkv=1,sq=1,skv=1,d=64", backend,
                                    "kv_chunk=auto"));
        ASSERT_EQ(m.outcome, profiler::status::ok) << m.reason;
        EXPECT_TRUE(m.check && m.check->passed);
        EXPECT_EQ(fact(m, "attention_kv_splits"), "1");
      }
    }
  }
}

TEST(Attention, InvalidConfigurationsAreRecordedOutcomes) {
  const std::string backend = backend_ids().front();
  struct bad_case {
    const char* params;
    const char* reason_mentions;
  };
  const bad_case cases[] = {
      {"tile_q=3", "outside its axis"},
      {"tile_q=4,reg_m=8", "tile_q is a multiple of reg_m"},
      {"tile_k=8,reg_n=16,stage_k=scratch", "tile_k is a multiple of reg_n"},
      {"tile_q=256,tile_k=512,scratch=l0", "scratch level 0 needs"},
      {"team_size=1024", "team_size=1024 exceeds"},
  };
  for (const auto& c : cases) {
    const profiler::measurement m = kernels::run_kernel(
        rt(), attention_request("kokkos_flash", "f32", "hq=4,hkv=2,sq=64,skv=64,d=64", backend,
                                c.params));
    EXPECT_EQ(m.outcome, profiler::status::invalid_config) << c.params;
    EXPECT_NE(m.reason.find(c.reason_mentions), std::string::npos) << m.reason;
    EXPECT_FALSE(m.timing.has_value());
    EXPECT_FALSE(m.check.has_value());
  }
}

TEST(Attention, UnfusedRefusesAScoreMatrixThatDoesNotFit) {
  // Inputs of 256 MiB, but 16 x 2^20 x 2^20 scores (64 TiB): refused before allocating them.
  const profiler::measurement m = kernels::run_kernel(
      rt(), attention_request("unfused", "f32", "hq=16,hkv=16,sq=1048576,skv=1048576,d=1",
                              backend_ids().front()));
  EXPECT_EQ(m.outcome, profiler::status::invalid_config);
  EXPECT_NE(m.reason.find("score matrix needs"), std::string::npos) << m.reason;
}

// The case's words are refused while the request is built, before anything runs.
template <class E, class... Words>
void expect_error(const std::string& mentions, Words... words) {
  test::expect_error<E>([=] { (void)attention_request(words...); }, {mentions});
}

TEST(Attention, InconsistentProblemsAreUsageErrorsNamingTheField) {
  const std::string b = backend_ids().front();
  expect_error<usage_error>("--problem: hq=6 is not a multiple of hkv=4", "kokkos_flash", "f32",
                            "hq=6,hkv=4,sq=1,skv=8,d=8", b);
  expect_error<usage_error>("--problem: d must be >= 1 (got 0)", "kokkos_flash", "f32",
                            "hq=4,hkv=4,sq=1,skv=8,d=0", b);
  expect_error<usage_error>("--problem: causal must be 0 or 1", "kokkos_flash", "f32",
                            "hq=4,hkv=4,sq=1,skv=8,d=8,causal=2", b);
  expect_error<usage_error>("--problem: missing 'hkv'", "kokkos_flash", "f32",
                            "hq=4,sq=1,skv=8,d=8", b);
  expect_error<usage_error>("--problem: sq must be >= 1 (got 0)", "kokkos_flash", "f32",
                            "hq=4,hkv=4,sq=0,skv=8,d=8", b);
  expect_error<usage_error>("no tunable axes", "unfused", "f32", "hq=4,hkv=4,sq=1,skv=8,d=8", b,
                            "tile_q=8");
}

TEST(Attention, WorkModelCountsVisiblePairsAndMinimalBytes) {
  const auto& k = kernels::find_kernel("attention");
  auto work = [&](const std::string& text, kernels::dtype t) {
    return k.work(k.parse_problem(parse_key_value_list(text, "p"), "p"), t);
  };
  // Non-causal: 4 B Hq Sq Skv D; bytes Q + K + V + O.
  auto w = work("batch=2,hq=8,hkv=2,sq=5,skv=7,d=3", kernels::dtype::f32);
  ASSERT_EQ(w.flops.size(), 1u);
  EXPECT_EQ(w.flops[0].count, 4u * 2 * 8 * 5 * 7 * 3);
  EXPECT_EQ(w.flops[0].precision, "f32");
  EXPECT_EQ(w.flops[0].unit, "simt");
  EXPECT_EQ(w.bytes_at("dram"), 4u * (2 * (2 * 8 * 5 * 3) + 2 * (2 * 2 * 7 * 3)));
  // Causal prefill: S(S+1)/2 pairs per head.
  w = work("hq=4,hkv=4,sq=6,skv=6,d=8,causal=1", kernels::dtype::f64);
  EXPECT_EQ(w.flops[0].count, 4u * 4 * 8 * (6 * 7 / 2));
  EXPECT_EQ(w.flops[0].precision, "f64");
  // Causal decode sees the whole cache.
  EXPECT_EQ(work("hq=32,hkv=4,sq=1,skv=100,d=128,causal=1", kernels::dtype::f32).flops[0].count,
            4u * 32 * 100 * 128);
  // sq > skv: queries 0..sq-skv-1 see nothing; the rest see 1..skv keys.
  EXPECT_EQ(work("hq=1,hkv=1,sq=5,skv=2,d=1,causal=1", kernels::dtype::f32).flops[0].count,
            4u * (0 + 0 + 0 + 1 + 2));
  // Decode intensity ~ Hq/Hkv FLOPs per K/V element loaded.
  w = work("hq=32,hkv=4,sq=1,skv=32768,d=128", kernels::dtype::f32);
  const double flop_per_kv_element = double(w.flops[0].count) / (double(w.bytes_at("dram")) / 4.0);
  EXPECT_NEAR(flop_per_kv_element / 2.0, 32.0 / 4.0, 0.01);  // 2 FLOP per multiply-add
}

}  // namespace
}  // namespace ridgeline::test
