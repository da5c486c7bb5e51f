// Metric formulas as data (profiler/counters/metric_formulas.cpp): evaluation on recorded counter
// values, the strict loader's FILE:LINE messages, and the shipped files themselves (every shipped
// file loads; NVIDIA counter names are known to CUPTI for their chips when CUPTI is built).
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/error.hpp"
#include "profiler/counters/counter_backend.hpp"
#include "profiler/counters/metric_formulas.hpp"

namespace ridgeline::profiler::counters {
namespace {

const std::vector<std::string> abc = {"a.sum", "b__x.sum", "c"};

double eval(const std::string& text, const std::map<std::string, double>& v) {
  return formula::parse(text, abc, "f").evaluate(v);
}

std::string load_error(const std::string& yaml) {
  try {
    parse_metric_file(yaml, "m.yaml");
  } catch (const usage_error& e) {
    return e.what();
  }
  return "(no error)";
}

// A valid file; tests break one line of it at a time.
const std::string good =
    "schema: ridgeline.metrics/1\n"                         // 1
    "vendor: acme\n"                                        // 2
    "arch: x1\n"                                            // 3
    "source: cupti\n"                                       // 4
    "match: [X100]\n"                                       // 5
    "counters:\n"                                           // 6
    "  inst_fadd.sum: {unit: instructions}\n"               // 7
    "  inst_ffma.sum: {unit: instructions}\n"               // 8
    "  dram_bytes.sum: {unit: bytes}\n"                     // 9
    "metrics:\n"                                            // 10
    "  flops_f32_simt: inst_fadd.sum + 2 * inst_ffma.sum\n"  // 11
    "  bytes_dram: dram_bytes.sum\n";                       // 12

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(Formula, ArithmeticAndPrecedence) {
  const std::map<std::string, double> v = {{"a.sum", 3}, {"b__x.sum", 5}, {"c", 2}};
  EXPECT_DOUBLE_EQ(eval("a.sum + 2 * b__x.sum", v), 13);
  EXPECT_DOUBLE_EQ(eval("(a.sum + 2) * b__x.sum", v), 25);
  EXPECT_DOUBLE_EQ(eval("a.sum - b__x.sum - c", v), -4);  // left-associative
  EXPECT_DOUBLE_EQ(eval("b__x.sum / c / 2", v), 1.25);
  EXPECT_DOUBLE_EQ(eval("-a.sum + 1.5e1", v), 12);
  EXPECT_DOUBLE_EQ(eval("64 * (a.sum + -c)", v), 64);
  EXPECT_DOUBLE_EQ(eval("c/1e9", v), 2e-9);
}

TEST(Formula, CountersListedOnceInOrder) {
  const auto f = formula::parse("c + a.sum * c + a.sum", abc, "f");
  EXPECT_EQ(f.counters(), (std::vector<std::string>{"c", "a.sum"}));
}

TEST(Formula, MalformedTextRejectedWithColumn) {
  const auto error = [](const std::string& text) {
    try {
      formula::parse(text, abc, "m.yaml:11: metrics.x");
    } catch (const usage_error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(error("a.sum +"),
            "m.yaml:11: metrics.x: expected a number, a counter or '(' at column 8 of 'a.sum +'");
  EXPECT_EQ(error("a.sum + d"),
            "m.yaml:11: metrics.x: unknown counter 'd' (not declared under counters:) at column 9 "
            "of 'a.sum + d'");
  EXPECT_NE(error("(a.sum").find("expected ')'"), std::string::npos);
  EXPECT_NE(error("a.sum c").find("unexpected 'c' at column 7"), std::string::npos);
  EXPECT_NE(error("a.sum ^ 2").find("unexpected '^'"), std::string::npos);
  EXPECT_NE(error("0x10").find("malformed number"), std::string::npos);
  EXPECT_NE(error("2c").find("malformed number"), std::string::npos);
  EXPECT_NE(error("").find("empty formula"), std::string::npos);
  EXPECT_NE(error("a.sum * * c").find("column 9"), std::string::npos);
}

TEST(Formula, MissingValueIsAnError) {
  EXPECT_THROW(eval("a.sum + c", {{"a.sum", 1}}), runtime_error);
}

// Values as ncu reports them for the Ridgeline tiled GEMM, f32, 1024^3, one launch on an H100
// (illustrative numbers with the structure of a real report: FFMA dominates, a few FADD/FMUL from
// the epilogue): the formulas must reproduce ncu's arithmetic exactly.
TEST(MetricFile, EvaluatesShippedHopperFormulasOnRecordedValues) {
  const auto f = load_metric_file(std::string(RIDGELINE_METRICS_DIR) + "/nvidia/sm_90.yaml");
  const std::map<std::string, double> recorded = {
      {"sm__sass_thread_inst_executed_op_fadd_pred_on.sum", 1048576},
      {"sm__sass_thread_inst_executed_op_fmul_pred_on.sum", 2097152},
      {"sm__sass_thread_inst_executed_op_ffma_pred_on.sum", 1073741824},
      {"dram__bytes_read.sum", 8.52e6},
      {"dram__bytes_write.sum", 4.19e6},
      {"lts__t_bytes.sum", 2.75e8},
      {"l1tex__t_bytes.sum", 1.1e9},
      {"gpu__time_duration.sum", 412000},
      {"sm__cycles_elapsed.avg.per_second", 1.755e9},
      {"dram__cycles_elapsed.avg.per_second", 2.619e9}};
  const auto v = f.evaluate({"flops_f32_simt", "bytes_dram", "bytes_l2", "time_s", "sm_clock_hz"},
                            recorded);
  EXPECT_DOUBLE_EQ(v.at("flops_f32_simt"), 1048576 + 2097152 + 2.0 * 1073741824);
  EXPECT_DOUBLE_EQ(v.at("bytes_dram"), 8.52e6 + 4.19e6);
  EXPECT_DOUBLE_EQ(v.at("bytes_l2"), 2.75e8);
  EXPECT_DOUBLE_EQ(v.at("time_s"), 412e-6);
  EXPECT_DOUBLE_EQ(v.at("sm_clock_hz"), 1.755e9);
  EXPECT_EQ(f.counters_for({"flops_f32_simt"}).size(), 3u);
  EXPECT_EQ(f.counters_for({"flops_f16_tensor", "flops_nonexistent"}),
            (std::vector<std::string>{"sm__ops_path_tensor_src_fp16.sum"}));
}

TEST(MetricFile, IntelFormulasWeightVectorWidths) {
  const auto f = load_metric_file(std::string(RIDGELINE_METRICS_DIR) + "/intel/spr.yaml");
  std::map<std::string, double> v;
  for (const auto& c : f.counters) v[c.name] = 0;
  v["fp_arith_inst_retired.512b_packed_single"] = 100;  // 100 x 16 lanes (FMA already x2)
  v["fp_arith_inst_retired.scalar_single"] = 7;
  v["fp_arith_inst_retired.256b_packed_double"] = 10;
  const auto r = f.evaluate({"flops_f32_simt", "flops_f64_simt"}, v);
  EXPECT_DOUBLE_EQ(r.at("flops_f32_simt"), 1607);
  EXPECT_DOUBLE_EQ(r.at("flops_f64_simt"), 40);
  EXPECT_EQ(f.find_counter("fp_arith_inst_retired.512b_packed_single")->perf_event->config,
            0x80c7u);
}

TEST(MetricFile, ShippedFilesAllLoad) {
  const auto files = load_metric_dir(RIDGELINE_METRICS_DIR);
  ASSERT_GE(files.size(), 5u);
  EXPECT_NE(find_metric_file(files, "cupti", {"GH100"}), nullptr);
  EXPECT_EQ(find_metric_file(files, "cupti", {"GH100"})->arch, "sm_90");
  EXPECT_EQ(find_metric_file(files, "cupti", {"GA100"})->arch, "sm_80");
  EXPECT_EQ(find_metric_file(files, "rocprofv3", {"gfx942"})->arch, "gfx942");
  EXPECT_EQ(find_metric_file(files, "perf_event", {"AuthenticAMD:25:17", "AuthenticAMD:25"})->arch,
            "znver4");
  EXPECT_EQ(find_metric_file(files, "perf_event", {"GenuineIntel:6:143", "GenuineIntel:6"})->arch,
            "spr");
  EXPECT_EQ(find_metric_file(files, "cupti", {"AD102"})->arch, "sm_89");
  EXPECT_EQ(find_metric_file(files, "cupti", {"GB100"})->arch, "sm_100");
  EXPECT_EQ(find_metric_file(files, "rocprofv3", {"gfx90a"})->arch, "gfx90a");
  EXPECT_EQ(find_metric_file(files, "rocprofv3", {"gfx936"})->vendor, "hygon");
  EXPECT_EQ(find_metric_file(files, "cupti", {"GB202"}), nullptr);
}

// The NVIDIA names are checked against CUPTI's own metric tables (host-side, no GPU needed):
// a typo in a shipped file fails here, not on the lead's one device run.
TEST(MetricFile, NvidiaCounterNamesKnownToCupti) {
  if (!cupti_built()) GTEST_SKIP() << "this build has no CUPTI backend";
  for (const auto& f : load_metric_dir(RIDGELINE_METRICS_DIR)) {
    if (f.source != "cupti") continue;
    for (const auto& chip : f.match) {
      // Each counter alone (names the bad one), then all together (the pass count a run needs).
      for (const auto& c : f.counters) {
        EXPECT_NO_THROW(cupti_offline_passes(chip, {c.name})) << f.path << ": " << c.name;
      }
      std::vector<std::string> all;
      for (const auto& c : f.counters) all.push_back(c.name);
      const std::size_t passes = cupti_offline_passes(chip, all);
      EXPECT_GE(passes, 1u) << f.path;
      EXPECT_LE(passes, 64u) << f.path;
    }
  }
  EXPECT_THROW(cupti_offline_passes("GH100", {"sm__no_such_counter.sum"}), counters_unavailable);
}

TEST(MetricFileLoader, AcceptsTheValidFile) {
  const auto f = parse_metric_file(good, "m.yaml");
  EXPECT_EQ(f.vendor, "acme");
  EXPECT_EQ(f.metrics.size(), 2u);
  EXPECT_EQ(f.find("flops_f32_simt")->line, 11);
  EXPECT_EQ(f.counters[1].line, 8);
}

TEST(MetricFileLoader, RejectsWithFileAndLine) {
  EXPECT_EQ(load_error(replace(good, "inst_fadd.sum + 2", "inst_fadd.sum + 2 * inst_fmul.sum + 2")),
            "m.yaml:11: metrics.flops_f32_simt: unknown counter 'inst_fmul.sum' (not declared under "
            "counters:) at column 21 of 'inst_fadd.sum + 2 * inst_fmul.sum + 2 * inst_ffma.sum'");
  EXPECT_EQ(load_error(replace(good, "bytes_dram: dram_bytes.sum", "bytes_dram: dram_bytes.sum *")),
            "m.yaml:12: metrics.bytes_dram: expected a number, a counter or '(' at column 17 of "
            "'dram_bytes.sum *'");
  EXPECT_EQ(load_error(replace(good, "  bytes_dram:", "  bytes_hbm:")),
            "m.yaml:12: metrics.bytes_hbm: unknown Ridgeline metric; expected flops_<f16|bf16|tf32|"
            "f32|f64|fp8|i8|any>_<simt|tensor>, bytes_<dram|llc|l2|l1|lds>, time_s, sm_clock_hz or "
            "dram_clock_hz");
  EXPECT_EQ(load_error(replace(good, "  bytes_dram: dram_bytes.sum\n",
                               "  bytes_dram: dram_bytes.sum\n  bytes_dram: 1\n")),
            "m.yaml:13: metrics.bytes_dram: repeated key (first at line 12)");
  EXPECT_EQ(load_error(replace(good, "  dram_bytes.sum: {unit: bytes}\n",
                               "  dram_bytes.sum: {unit: bytes}\n  spare.sum: {unit: bytes}\n")),
            "m.yaml:10: counters.spare.sum: declared but used by no metric");
  EXPECT_EQ(load_error(replace(good, "{unit: bytes}", "{unit: bytes, scale: 2}")),
            "m.yaml:9: counters.dram_bytes.sum.scale: unknown key; expected one of: unit, "
            "perf_event");
  EXPECT_EQ(load_error(replace(good, "schema: ridgeline.metrics/1", "schema: ridgeline.metrics/2")),
            "m.yaml:1: schema: expected ridgeline.metrics/1, got 'ridgeline.metrics/2'");
  EXPECT_EQ(load_error(replace(good, "source: cupti", "source: nsight")),
            "m.yaml:4: source: unknown source 'nsight'; expected one of: cupti, perf_event, "
            "rocprofv3");
  EXPECT_EQ(load_error(replace(good, "match: [X100]\n", "")), "m.yaml:1: match: missing");
  EXPECT_EQ(load_error(replace(good, "vendor: acme", "vendr: acme")).substr(0, 26),
            "m.yaml:2: vendr: unknown k");
  EXPECT_EQ(load_error(replace(good, "  inst_fadd.sum:", "  9inst.sum:")).substr(0, 33),
            "m.yaml:7: counters.9inst.sum: a c");
  EXPECT_EQ(load_error("schema: [unclosed\n").substr(0, 29), "m.yaml:2: syntax: not valid Y");
}

TEST(MetricFileLoader, PerfEventFilesNeedEventCodes) {
  std::string perf = replace(good, "source: cupti", "source: perf_event");
  EXPECT_EQ(load_error(perf),
            "m.yaml:7: counters.inst_fadd.sum: a perf_event file must give each counter's "
            "perf_event: {type, config}");
  perf = replace(perf, "inst_fadd.sum: {unit: instructions}",
                 "inst_fadd.sum: {unit: instructions, perf_event: {type: raw, config: \"0x1g\"}}");
  EXPECT_EQ(load_error(perf),
            "m.yaml:7: counters.inst_fadd.sum.perf_event.config: expected an integer (decimal or "
            "0x hex), got '0x1g'");
}

TEST(MetricNames, KnownNames) {
  EXPECT_TRUE(is_metric_name("flops_bf16_tensor"));
  EXPECT_TRUE(is_metric_name("flops_any_simt"));
  EXPECT_TRUE(is_metric_name("bytes_l2"));
  EXPECT_TRUE(is_metric_name("sm_clock_hz"));
  EXPECT_FALSE(is_metric_name("flops_f32"));
  EXPECT_FALSE(is_metric_name("flops_f32_matrix"));
  EXPECT_FALSE(is_metric_name("bytes_hbm"));
}

}  // namespace
}  // namespace ridgeline::profiler::counters
