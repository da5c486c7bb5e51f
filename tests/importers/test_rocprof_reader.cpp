// The rocprof readers (importers/rocprof_reader.cpp, importers/rocprof_compute_reader.cpp) on
// hand-written samples under data/rocprof/ and data/rocprof-compute/ (their README.md says what
// each one stands for). Every expected FLOP, byte and time value is worked out here from the
// sample's cells with the metric files' formulas:
//  - VALU FLOPs = 64 lanes x (ADD + MUL + 2 x FMA + TRANS) wavefront instructions, per precision
//    (amd/gfx90a.yaml, amd/gfx942.yaml); MFMA FLOPs = 512 x SQ_INSTS_VALU_MFMA_MOPS_<p>;
//  - gfx90a (and hygon/gfx928) bytes_dram = 32 x RDREQ_32B + 64 x (RDREQ - RDREQ_32B)
//    + 64 x WRREQ_64B + 32 x (WRREQ - WRREQ_64B) over the TCC_EA_*_sum counters;
//  - gfx942 bytes_dram: the same over TCC_EA0_*_sum, plus 128 x TCC_BUBBLE_sum;
//  - time = end - begin timestamps, in ns.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "importers/formats.hpp"
#include "profiler/counters/metric_formulas.hpp"
#include "tests/importers/launch_lookup.hpp"

namespace ridgeline::importers {
namespace {

using ridgeline::importers::test::bytes;
using ridgeline::importers::test::flops;
using ridgeline::importers::test::raw;

namespace fs = std::filesystem;

std::string data(const std::string& name) {
  return std::string(RIDGELINE_TEST_DATA_DIR) + "/" + name;
}
std::string rocprof(const std::string& name) {
  return data("rocprof/" + name);
}
std::string compute(const std::string& name) {
  return data("rocprof-compute/" + name);
}

read_context context(const std::string& arch = "") {
  return {profiler::counters::default_metrics_dir(), arch};
}

template <typename Read>
std::string failure(Read read) {
  try {
    read();
  } catch (const usage_error& e) {
    return e.what();
  }
  return "(no error)";
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// ---- rocprof v1 results.csv ----

// results.csv on an MI250X (--device names a gfx90a card).
TEST(RocprofResults, CountersBecomeWorkWithTheDevicesFormulas) {
  const imported_file f = read_rocprof(rocprof("results.csv"), context("gfx90a"));
  EXPECT_EQ(f.format, "rocprof");
  EXPECT_EQ(f.tool, "rocprof");
  EXPECT_TRUE(ends_with(f.metrics_file, "amd/gfx90a.yaml")) << f.metrics_file;
  ASSERT_EQ(f.launches.size(), 3u);

  // Two dispatches of one kernel stay two launches, each with its own counters and time.
  const auto& a = f.launches[0];
  EXPECT_EQ(a.kernel, "saxpy(float, float const*, float*, int) [clone .kd]");
  EXPECT_EQ(a.launch, "0");
  EXPECT_EQ(a.line, 2);
  EXPECT_EQ(a.device, "");  // results.csv does not name the GPU
  EXPECT_EQ(a.unplaceable, "");
  ASSERT_TRUE(a.time_s);
  EXPECT_DOUBLE_EQ(*a.time_s, (1000000045000.0 - 1000000000000.0) * 1e-9);  // 45 us
  EXPECT_EQ(flops(a, "f32", "simt"), 64u * (0 + 0 + 2 * 16384 + 0));        // 2 x 1 Mi elements
  EXPECT_EQ(flops(a, "f16", "tensor"), std::nullopt);  // MFMA_MOPS_F16 = 0: no work, not 0 FLOPs
  // 131072 64 B reads (2 x 4 MiB) + 65536 64 B writes (4 MiB).
  EXPECT_EQ(bytes(a, "dram"), 32u * 0 + 64u * (131072 - 0) + 64u * 65536 + 32u * (65536 - 65536));
  EXPECT_EQ(raw(a, "TCC_EA_RDREQ_sum"), 131072.0);
  EXPECT_EQ(a.raw.front().first, "SQ_INSTS_VALU_ADD_F32");  // file order
  EXPECT_EQ(a.raw.size(), 9u);

  const auto& b = f.launches[1];
  EXPECT_EQ(b.kernel, a.kernel);
  EXPECT_EQ(b.launch, "1");
  EXPECT_DOUBLE_EQ(*b.time_s, (1000000140000.0 - 1000000100000.0) * 1e-9);  // 40 us
  EXPECT_EQ(flops(b, "f32", "simt"), 64u * 2 * 16384);
  EXPECT_EQ(bytes(b, "dram"),
            32u * 1024 + 64u * (131072 - 1024) + 64u * 65000 + 32u * (65536 - 65000));

  // A name with commas and doubled quotes, as written (quotes unescaped).
  const auto& g = f.launches[2];
  EXPECT_EQ(g.kernel, "void gemm_tile<float, 64>(Tile \"A\", float const*, int) [clone .kd]");
  EXPECT_EQ(g.line, 4);
  EXPECT_DOUBLE_EQ(*g.time_s, 100000 * 1e-9);
  EXPECT_EQ(flops(g, "f32", "simt"), 64u * (128 + 256 + 2 * 65536 + 8));  // 8 413 696
  EXPECT_EQ(flops(g, "f16", "tensor"), 512u * 4096);
  EXPECT_EQ(bytes(g, "dram"), 32u * 5000 + 64u * (20000 - 5000) + 64u * 1000 + 32u * (3000 - 1000));
}

TEST(RocprofResults, WithoutADeviceTimesAreReadAndNothingIsEvaluated) {
  const imported_file f = read_rocprof(rocprof("results.csv"), context());
  ASSERT_EQ(f.launches.size(), 3u);
  EXPECT_EQ(f.metrics_file, "");
  for (const auto& l : f.launches) {
    EXPECT_EQ(l.unplaceable,
              "results.csv does not name the GPU: pass --device to choose its counter formulas");
    EXPECT_TRUE(l.time_s);
    EXPECT_TRUE(l.work.flops.empty());
    EXPECT_TRUE(l.work.bytes.empty());
    EXPECT_EQ(l.raw.size(), 9u);  // the counters are kept all the same
  }
}

TEST(RocprofResults, AFullTargetIdChoosesItsArch) {
  const imported_file f = read_rocprof(rocprof("results.csv"), context("gfx90a:sramecc+:xnack-"));
  EXPECT_EQ(f.launches[0].unplaceable, "");
  EXPECT_EQ(bytes(f.launches[0], "dram"), 64u * 131072 + 64u * 65536);
}

// gfx942's formulas read TCC_EA0_* and TCC_BUBBLE, which an MI200 file lacks: the launch says
// which counters the byte formula needs (FLOPs still come from the shared VALU counter names).
TEST(RocprofResults, TheWrongArchNamesTheMissingCounters) {
  const imported_file f = read_rocprof(rocprof("results.csv"), context("gfx942"));
  const auto& a = f.launches[0];
  EXPECT_EQ(a.unplaceable,
            "no byte counters (bytes_dram needs TCC_BUBBLE_sum, TCC_EA0_RDREQ_sum, "
            "TCC_EA0_RDREQ_32B_sum, TCC_EA0_WRREQ_64B_sum, TCC_EA0_WRREQ_sum)");
  EXPECT_EQ(flops(a, "f32", "simt"), 64u * 2 * 16384);
  EXPECT_TRUE(a.work.bytes.empty());
}

TEST(RocprofResults, AnArchWithoutFormulasIsAReasonNotAnError) {
  const imported_file f = read_rocprof(rocprof("results.csv"), context("gfx1100"));
  ASSERT_EQ(f.launches.size(), 3u);
  EXPECT_NE(f.launches[0].unplaceable.find("no counter formulas for gfx1100"), std::string::npos)
      << f.launches[0].unplaceable;
  EXPECT_TRUE(f.launches[0].time_s);
}

// Hygon gfx928 (K100-AI) has bytes (the gfx9 TCC_EA counters) and no FLOP formula at all.
TEST(RocprofResults, HygonGfx928GivesBytesAndSaysWhyNoFlops) {
  const imported_file f = read_rocprof(rocprof("results.csv"), context("gfx928"));
  EXPECT_TRUE(ends_with(f.metrics_file, "hygon/gfx928.yaml")) << f.metrics_file;
  const auto& a = f.launches[0];
  EXPECT_EQ(a.unplaceable, "hygon/gfx928.yaml has no FLOP formula");
  EXPECT_TRUE(a.work.flops.empty());
  EXPECT_EQ(bytes(a, "dram"), 64u * 131072 + 64u * 65536);
  // The K100 (gfx926) and BW1000 (gfx936) cards use the same file.
  for (const char* arch : {"gfx926", "gfx936"}) {
    EXPECT_TRUE(ends_with(read_rocprof(rocprof("results.csv"), context(arch)).metrics_file,
                          "hygon/gfx928.yaml"))
        << arch;
  }
}

// Unquoted header, CRLF line ends, a trailing comma on the header and the first row, SQ_WAVES
// twice (same values), per-channel TCC_EA_*[0..1] columns only, and rows shorter than the header.
TEST(RocprofResults, QuirksAreTakenInStride) {
  const imported_file f = read_rocprof(rocprof("results_quirks.csv"), context("gfx90a"));
  ASSERT_EQ(f.launches.size(), 3u);

  const auto& r = f.launches[0];
  EXPECT_EQ(r.kernel, "reduce<double, 256>(double const*, double*)");
  EXPECT_EQ(r.unplaceable, "");
  EXPECT_DOUBLE_EQ(*r.time_s, (25000 - 5000) * 1e-9);
  EXPECT_EQ(flops(r, "f32", "simt"), 64u * (500 + 0 + 2 * 1000 + 0));  // 160 000
  // RDREQ 300 + 200 = 500, RDREQ_32B 10 + 30 = 40, WRREQ 50 + 70 = 120, WRREQ_64B 40 + 60 = 100.
  EXPECT_EQ(bytes(r, "dram"), 32u * 40 + 64u * (500 - 40) + 64u * 100 + 32u * (120 - 100));
  const std::vector<std::pair<std::string, double>> expected_raw = {
      {"SQ_WAVES", 4096},           {"SQ_INSTS_VALU_FMA_F32", 1000}, {"SQ_INSTS_VALU_ADD_F32", 500},
      {"SQ_INSTS_VALU_MUL_F32", 0}, {"SQ_INSTS_VALU_TRANS_F32", 0},  {"TCC_EA_RDREQ_sum", 500},
      {"TCC_EA_RDREQ_32B_sum", 40}, {"TCC_EA_WRREQ_sum", 120},       {"TCC_EA_WRREQ_64B_sum", 100}};
  EXPECT_EQ(r.raw, expected_raw);

  // Short by one cell (no CompleteNs): everything it has is read.
  const auto& s = f.launches[1];
  EXPECT_EQ(s.kernel, "scale(float*, int)");
  EXPECT_DOUBLE_EQ(*s.time_s, (34096 - 30000) * 1e-9);
  EXPECT_EQ(flops(s, "f32", "simt"), 64u * 2048);
  EXPECT_EQ(bytes(s, "dram"), 64u * (2048 - 0) + 64u * 2048);  // 262 144

  // Short by two (no EndNs): work, but no time.
  const auto& t = f.launches[2];
  EXPECT_FALSE(t.time_s);
  EXPECT_EQ(t.unplaceable, "no BeginNs/EndNs on this row");
  EXPECT_EQ(flops(t, "f32", "simt"), 64u * 2048);
  EXPECT_EQ(t.line, 4);
}

TEST(RocprofResults, MalformedFilesNameTheLine) {
  const std::string bad = rocprof("bad_counter.csv");
  EXPECT_EQ(failure([&] { read_rocprof(bad, context("gfx90a")); }),
            bad + ":3: SQ_INSTS_VALU_FMA_F32: expected a number, got 'lots'");
  const std::string no_name = rocprof("no_kernel_name.csv");
  EXPECT_EQ(failure([&] { read_rocprof(no_name, context()); }),
            no_name + ":1: no KernelName or Kernel_Name column (not rocprof output?)");
  const std::string negative = rocprof("negative_duration.csv");
  EXPECT_EQ(failure([&] { read_rocprof(negative, context()); }),
            negative + ":3: EndNs (900) is before BeginNs (1000)");
  // 30 of 10 read requests were 32 B ones: bytes_dram = 32 x 30 + 64 x (10 - 30) = -320.
  const std::string inconsistent = rocprof("inconsistent_counters.csv");
  EXPECT_EQ(failure([&] { read_rocprof(inconsistent, context("gfx90a")); }),
            inconsistent +
                ":2: bytes_dram evaluates to -320: counters are inconsistent (amd/gfx90a.yaml)");
  const std::string missing = rocprof("no_such_results.csv");
  EXPECT_EQ(failure([&] { read_rocprof(missing, context()); }), missing + ": cannot read");
}

// ---- rocprofv3 counter_collection.csv ----

// mi300_agent_info.csv beside it names the GPU (gfx942, AMD Instinct MI300X): no --device needed,
// and a --device naming another arch does not override the file.
TEST(RocprofV3, CounterCollectionWithAgentInfo) {
  for (const char* arch : {"", "gfx90a"}) {
    const imported_file f = read_rocprof(rocprof("mi300_counter_collection.csv"), context(arch));
    EXPECT_EQ(f.format, "rocprofv3");
    EXPECT_EQ(f.tool, "rocprofv3");
    EXPECT_TRUE(ends_with(f.metrics_file, "amd/gfx942.yaml")) << f.metrics_file;
    ASSERT_EQ(f.launches.size(), 3u);

    const auto& a = f.launches[0];
    EXPECT_EQ(a.kernel,
              "void bf16_gemm<128, 128>(__hip_bfloat16 const*, __hip_bfloat16 const*, float*, "
              "int)");
    EXPECT_EQ(a.launch, "1");
    EXPECT_EQ(a.line, 2);
    EXPECT_EQ(a.device, "AMD Instinct MI300X");
    EXPECT_EQ(a.unplaceable, "");
    EXPECT_DOUBLE_EQ(*a.time_s, 12000 * 1e-9);
    EXPECT_EQ(flops(a, "bf16", "tensor"), 512u * 65536);      // 2 x 256^3
    EXPECT_EQ(flops(a, "f32", "simt"), 64u * (1024 + 1024));  // 131 072
    // TCC_BUBBLE (collected without _sum: rocprofv3 already sums it over channels) = 1024.
    EXPECT_EQ(bytes(a, "dram"),
              128u * 1024 + 64u * (6144 - 0) + 32u * 0 + 64u * 4096 + 32u * (4096 - 4096));
    ASSERT_EQ(a.raw.size(), 10u);
    EXPECT_EQ(a.raw.front().first, "SQ_INSTS_VALU_ADD_F32");  // file order, not name order
    EXPECT_EQ(a.raw.back(), (std::pair<std::string, double>{"TCC_BUBBLE", 1024}));

    const auto& b = f.launches[1];
    EXPECT_EQ(b.kernel, a.kernel);
    EXPECT_EQ(b.launch, "2");
    EXPECT_EQ(b.line, 12);
    EXPECT_DOUBLE_EQ(*b.time_s, 10000 * 1e-9);
    EXPECT_EQ(bytes(b, "dram"), 128u * 0 + 64u * (2048 - 512) + 32u * 512 + 64u * 4096);

    const auto& c = f.launches[2];
    EXPECT_EQ(c.kernel, "say \"hi\", twice(int)");
    EXPECT_EQ(c.line, 22);
    EXPECT_DOUBLE_EQ(*c.time_s, 1000 * 1e-9);
    EXPECT_EQ(flops(c, "f32", "simt"), 64u * 2 * 64);
    EXPECT_EQ(flops(c, "bf16", "tensor"), std::nullopt);
    EXPECT_EQ(bytes(c, "dram"), 32u * 16);
  }
}

TEST(RocprofV3, NoTimestampsAndNoAgentInfo) {
  const std::string path = rocprof("notime_counter_collection.csv");
  const imported_file with = read_rocprof(path, context("gfx942"));
  ASSERT_EQ(with.launches.size(), 1u);
  const auto& l = with.launches[0];
  EXPECT_EQ(l.kernel, "triad(double*, double const*, double const*, double)");
  EXPECT_EQ(l.launch, "5");
  EXPECT_EQ(l.device, "");
  EXPECT_FALSE(l.time_s);
  EXPECT_EQ(l.unplaceable,
            "notime_counter_collection.csv has no Start_Timestamp/End_Timestamp "
            "columns");
  EXPECT_EQ(flops(l, "f64", "simt"), 64u * 2 * 64);     // 2 x 4096 elements
  EXPECT_EQ(bytes(l, "dram"), 64u * 1024 + 64u * 512);  // 2 x 32 KiB read, 32 KiB written

  const imported_file without = read_rocprof(path, context());
  EXPECT_EQ(without.launches[0].unplaceable,
            "notime_counter_collection.csv does not name the GPU and no agent_info.csv lies "
            "beside it: pass --device; notime_counter_collection.csv has no "
            "Start_Timestamp/End_Timestamp columns");
  EXPECT_TRUE(without.launches[0].work.flops.empty());
}

TEST(RocprofV3, MalformedCounterValueNamesTheLine) {
  const std::string bad = rocprof("bad_value_counter_collection.csv");
  const std::string message = failure([&] { read_rocprof(bad, context()); });
  EXPECT_EQ(message.rfind(bad + ":3: ", 0), 0u) << message;
  EXPECT_NE(message.find("'many'"), std::string::npos) << message;
}

// ---- rocprof-compute workload folders ----

TEST(RocprofCompute, WorkloadFolderWithSumsChannelsAndSysinfo) {
  const std::string dir = compute("mi300x");
  // sysinfo.csv says gfx942: it wins over a --device naming another arch.
  for (const std::string& path : {dir, dir + "/pmc_perf.csv"}) {
    const imported_file f = read_rocprof_compute(path, context("gfx90a"));
    EXPECT_EQ(f.path, path);
    EXPECT_EQ(f.format, "rocprof-compute");
    EXPECT_EQ(f.tool, "rocprof-compute");
    EXPECT_TRUE(ends_with(f.metrics_file, "amd/gfx942.yaml")) << f.metrics_file;
    ASSERT_EQ(f.launches.size(), 2u);

    const auto& a = f.launches[0];
    EXPECT_EQ(a.kernel, "dgemm_kernel(double const*, double const*, double*, int)");
    EXPECT_EQ(a.launch, "0");
    EXPECT_EQ(a.device, "MI300X");
    EXPECT_EQ(a.host, "node17");
    EXPECT_EQ(a.unplaceable, "");
    EXPECT_DOUBLE_EQ(*a.time_s, 50000 * 1e-9);
    EXPECT_EQ(flops(a, "f64", "simt"), 64u * 2 * 2048);  // 262 144
    EXPECT_EQ(flops(a, "f64", "tensor"), 512u * 16384);  // 8 388 608
    // Channels agree with the _sum columns: RDREQ 5000 + 3000 = 8000, RDREQ_32B 100,
    // WRREQ 2000, WRREQ_64B 2000, BUBBLE 200 + 300 = 500.
    EXPECT_EQ(bytes(a, "dram"),
              128u * 500 + 64u * (8000 - 100) + 32u * 100 + 64u * 2000 + 32u * (2000 - 2000));
    EXPECT_EQ(raw(a, "TCC_EA0_RDREQ_sum"), 8000.0);
    EXPECT_EQ(raw(a, "TCC_EA0_RDREQ[0]"), std::nullopt);  // channels are folded, not listed
    EXPECT_EQ(raw(a, "GRBM_GUI_ACTIVE"), 105000.0);

    const auto& b = f.launches[1];
    EXPECT_EQ(b.kernel, a.kernel);
    EXPECT_EQ(b.launch, "1");
    EXPECT_DOUBLE_EQ(*b.time_s, (3000000140000.5 - 3000000100000.5) * 1e-9);  // 40 us
    EXPECT_EQ(bytes(b, "dram"), 64u * 2000 + 64u * 2000);
  }
}

// Omniperf 1.x: rocprof v1 column names, per-channel counters only, the old sysinfo.csv (gpu_soc).
TEST(RocprofCompute, PerChannelColumnsOnlyAreSummed) {
  const imported_file f = read_rocprof_compute(compute("mi200_channels"), context());
  EXPECT_TRUE(ends_with(f.metrics_file, "amd/gfx90a.yaml")) << f.metrics_file;
  ASSERT_EQ(f.launches.size(), 2u);
  const auto& a = f.launches[0];
  EXPECT_EQ(a.kernel, "vecadd(float const*, float const*, float*, int) [clone .kd]");
  EXPECT_EQ(a.device, "mi200");
  EXPECT_EQ(a.host, "gpu-node-3");
  EXPECT_EQ(a.unplaceable, "");
  EXPECT_DOUBLE_EQ(*a.time_s, (7030000 - 7000000) * 1e-9);
  EXPECT_EQ(flops(a, "f32", "simt"), 64u * 16384);  // one add per element, 1 Mi elements
  // 4 x 32768 reads, 4 x 16384 64 B writes.
  EXPECT_EQ(bytes(a, "dram"), 64u * 131072 + 64u * 65536);
  EXPECT_EQ(raw(a, "TCC_EA_RDREQ_sum"), 131072.0);

  const auto& b = f.launches[1];
  EXPECT_DOUBLE_EQ(*b.time_s, (7128000 - 7100000) * 1e-9);
  // RDREQ 32768 + 32767 + 32769 + 32768 = 131072, RDREQ_32B 1 + 1 = 2,
  // WRREQ 4 x 16384 = 65536, WRREQ_64B 16384 x 3 + 16383 = 65535.
  EXPECT_EQ(bytes(b, "dram"), 32u * 2 + 64u * (131072 - 2) + 64u * 65535 + 32u * (65536 - 65535));
}

TEST(RocprofCompute, ASumThatDisagreesWithItsChannelsIsRefused) {
  const std::string pmc = compute("disagree") + "/pmc_perf.csv";
  EXPECT_EQ(failure([&] { read_rocprof_compute(compute("disagree"), context("gfx942")); }),
            pmc + ":3: TCC_EA0_RDREQ_sum is 1000 but TCC_EA0_RDREQ[0..1] sum to 999");
}

TEST(RocprofCompute, WithoutSysinfoTheDeviceChoosesTheArch) {
  const imported_file bare = read_rocprof_compute(compute("bare"), context());
  ASSERT_EQ(bare.launches.size(), 1u);
  EXPECT_EQ(bare.launches[0].unplaceable,
            "pmc_perf.csv does not name the GPU: pass --device to choose its counter formulas");
  EXPECT_EQ(bare.launches[0].device, "");

  const imported_file f = read_rocprof_compute(compute("bare"), context("gfx942"));
  const auto& l = f.launches[0];
  EXPECT_EQ(l.launch, "7");
  EXPECT_EQ(l.unplaceable, "");
  EXPECT_DOUBLE_EQ(*l.time_s, (6000 - 1000) * 1e-9);
  EXPECT_EQ(flops(l, "f32", "simt"), 64u * 2 * 512);  // 2 x 32768 elements
  EXPECT_EQ(bytes(l, "dram"), 64u * 1024 + 64u * 512);
}

TEST(RocprofCompute, AFolderWithoutPmcPerfIsRefused) {
  const std::string dir = data("rocprof");
  EXPECT_EQ(failure([&] { read_rocprof_compute(dir, context()); }),
            dir +
                ": no pmc_perf.csv in this folder (not a rocprof-compute workload, or "
                "profiling did not finish)");
}

// ---- recognition ----

TEST(RocprofFormats, EachSampleIsRecognisedByItsFormatOnly) {
  for (const char* name :
       {"results.csv", "results_quirks.csv", "bad_counter.csv", "negative_duration.csv",
        "inconsistent_counters.csv", "mi300_counter_collection.csv",
        "notime_counter_collection.csv", "bad_value_counter_collection.csv"}) {
    EXPECT_TRUE(looks_like_rocprof(rocprof(name))) << name;
    EXPECT_FALSE(looks_like_rocprof_compute(rocprof(name))) << name;
    EXPECT_EQ(detect_import_format(rocprof(name)).name, "rocprof") << name;
  }
  for (const char* name : {"no_kernel_name.csv", "mi300_agent_info.csv", "README.md"}) {
    EXPECT_FALSE(looks_like_rocprof(rocprof(name))) << name;
    EXPECT_FALSE(looks_like_rocprof_compute(rocprof(name))) << name;
  }
  EXPECT_FALSE(looks_like_rocprof(data("rocprof")));
  EXPECT_FALSE(looks_like_rocprof_compute(data("rocprof")));

  for (const char* dir : {"mi300x", "mi200_channels", "disagree", "bare"}) {
    for (const std::string& path : {compute(dir), compute(dir) + "/pmc_perf.csv"}) {
      EXPECT_TRUE(looks_like_rocprof_compute(path)) << path;
      EXPECT_FALSE(looks_like_rocprof(path)) << path;
      EXPECT_EQ(detect_import_format(path).name, "rocprof-compute") << path;
    }
    EXPECT_FALSE(looks_like_rocprof_compute(compute(dir) + "/sysinfo.csv"));
    EXPECT_FALSE(looks_like_rocprof(compute(dir) + "/sysinfo.csv"));
  }
  EXPECT_FALSE(looks_like_rocprof_compute(data("rocprof-compute")));
  EXPECT_FALSE(looks_like_rocprof_compute(compute("no_such_folder")));
  EXPECT_FALSE(looks_like_rocprof(rocprof("no_such_file.csv")));
}

// Every other format's samples (whatever data/<format>/ holds now): neither rocprof format claims
// them.
TEST(RocprofFormats, OtherFormatsSamplesAreNotClaimed) {
  std::size_t checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(RIDGELINE_TEST_DATA_DIR)) {
    const std::string path = entry.path().string();
    if (path.find("/rocprof/") != std::string::npos ||
        path.find("/rocprof-compute") != std::string::npos || ends_with(path, "/rocprof"))
      continue;
    EXPECT_FALSE(looks_like_rocprof(path)) << path;
    EXPECT_FALSE(looks_like_rocprof_compute(path)) << path;
    ++checked;
  }
  EXPECT_GT(checked, 0u);
}

}  // namespace
}  // namespace ridgeline::importers
