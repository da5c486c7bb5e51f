// bench: attention on this machine.
//  - Prefill f32, B=1, H=16, S=2048, D=128, causal and not: the best `kokkos_flash` configuration
//    of a small candidate search (until the tuner exists) against `unfused` (OpenBLAS products,
//    score matrix in memory), both in the same run — unfused before and after the search, the
//    faster of its two medians kept. Ratio = unfused time / flash time (target >= 1.0).
//  - Decode f32, hq=32, hkv=4 (GQA 8:1), skv=32768, D=128, batch B: the best flash configuration's
//    achieved DRAM bytes/s (work model: Q, K, V, O once) against the DRAM load bandwidth ceiling
//    measured by Ridgeline's own ceilings sweep in the same run (target >= 60%). B (--decode-batch;
//    default: the smallest whose K and V reach 4x the last-level cache, within half the available
//    memory) keeps the cache in DRAM on CPUs whose LLC holds a 128 MiB cache several times over
//    (480 MiB on the Intel VM). The default configuration (kv_chunk=auto) is measured first.
// Each winner is then run once more with --check against the wide reference. Every measurement is
// placed on the measured roofline. Output: JSON (schema ridgeline.bench.attention/2) and a table.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/bench_report.hpp"
#include "core/error.hpp"
#include "core/key_value.hpp"
#include "kernels/ceilings/ceilings.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "profiler/cpu_info.hpp"
#include "profiler/measurement_json.hpp"
#include "profiler/placement.hpp"
#include "service/case_request.hpp"

namespace {

using namespace ridgeline;
using bench::median_or_inf;
using bench::median_or_reason;

// Candidates chosen from the axes' meaning on a CPU: one thread per team (no barriers between the
// phases of a tile), register tiles that fill the AVX-512 register file, query tiles of 32-128
// rows and key tiles of 32-256 keys (Q, K^T, V, S and O tiles of one team: 70-400 KiB at D = 128,
// i.e. in L2), scratch level 1 (level 0 is capped at 32 KiB on host backends).
const char* const prefill_grid[] = {
    "tile_q=64,tile_k=64,reg_m=8,reg_n=32,stage_k=none",
    "tile_q=64,tile_k=128,reg_m=8,reg_n=32,stage_k=none",
    "tile_q=128,tile_k=64,reg_m=8,reg_n=32,stage_k=none",
    "tile_q=96,tile_k=96,reg_m=8,reg_n=32,stage_k=none",
    "tile_q=128,tile_k=128,reg_m=8,reg_n=32,stage_k=none",
    "tile_q=32,tile_k=128,reg_m=8,reg_n=32,stage_k=none",
    "tile_q=64,tile_k=64,reg_m=8,reg_n=16,stage_k=none",
    "tile_q=128,tile_k=64,reg_m=8,reg_n=16,stage_k=none",
    "tile_q=64,tile_k=64,reg_m=8,reg_n=16,stage_k=scratch",
    "tile_q=128,tile_k=64,reg_m=8,reg_n=32,stage_k=scratch",
};
// Decode: the 8 query heads of a KV head are one 8-row tile (K/V read once per group); the axes
// that matter are the chunking of the 32k cache (parallelism, and the partials' traffic), the key
// tile (how much is staged per step) and whether K is staged at all.
const char* const decode_grid[] = {
    "",  // the default configuration
    "tile_q=8,tile_k=128,reg_m=8,reg_n=8,stage_k=none",
    "tile_q=8,tile_k=128,reg_m=4,reg_n=8,stage_k=none",
    "tile_q=8,tile_k=256,reg_m=8,reg_n=8,stage_k=none",
    "tile_q=8,tile_k=64,reg_m=8,reg_n=8,kv_chunk=8192,stage_k=none",
    "tile_q=8,tile_k=128,reg_m=8,reg_n=8,kv_chunk=8192,stage_k=none",
    "tile_q=8,tile_k=256,reg_m=8,reg_n=8,kv_chunk=8192,stage_k=none",
    "tile_q=8,tile_k=128,reg_m=8,reg_n=8,kv_chunk=32768,stage_k=none",
    "tile_q=8,tile_k=128,reg_m=8,reg_n=8,kv_chunk=4096,stage_k=none",
    "tile_q=8,tile_k=128,reg_m=8,reg_n=8,kv_chunk=2048,stage_k=none",
    "tile_q=8,tile_k=128,reg_m=4,reg_n=8,kv_chunk=8192,stage_k=none",
    "tile_q=8,tile_k=64,reg_m=8,reg_n=32,kv_chunk=8192,stage_k=scratch",
};

profiler::measurement measure(const kernels::runtime& rt, const std::string& variant,
                              const std::string& problem, const std::string& params,
                              double max_time, bool check = false) {
  service::case_text text;
  text.kernel = "attention";
  text.variant = variant;
  text.problem = parse_key_value_list(problem, "--problem");
  kernels::run_request r =
      service::run_request_for(rt, text, parse_key_value_list(params, "--params"), "");
  r.harness.max_seconds = max_time;
  r.harness.min_samples = 3;
  r.harness.warmup_seconds = 0.1;
  r.check = check;
  r.time = !check;
  r.seed = 20261126;
  return kernels::run_kernel(rt, r);
}

// The document: its schema and what it measures.
const bench::report_kind report{
    "ridgeline.bench.attention/2",
    "prefill: speed ratio kokkos_flash / unfused (= unfused median / best flash median), "
    "target >= 1.0; decode: achieved DRAM bytes/s (work model) / measured DRAM load "
    "ceiling, target >= 0.6"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"attention: kokkos_flash vs unfused (prefill) and vs the DRAM ceiling (decode)"};
  bench::bench_options o{"bench/results/attention.json", 1.0};
  bool check = true;
  std::string cases = "prefill,decode";
  int decode_batch = 0;
  bench::add_bench_options(app, o);
  app.add_flag("!--no-check", check, "Skip the correctness check of the winners");
  app.add_option("--cases", cases, "Which cases: prefill, decode or both")->capture_default_str();
  app.add_option("--decode-batch", decode_batch,
                 "Decode batch (0: K and V >= 4x the last-level cache, within half the available "
                 "memory)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const auto body = [&](const kernels::runtime& rt, nlohmann::ordered_json& doc,
                        std::vector<std::string>& lines) {
    std::cerr << "measuring ceilings...\n";
    kernels::ceilings_options co;
    co.seconds_per_point = 0.1;
    const auto ceilings = kernels::measure_ceilings(rt, co);
    const auto roofs = ceilings.roofs("this machine (measured)");
    const auto* dram = roofs.find_bandwidth("dram");
    const auto* peak = roofs.find_compute("f32", "simt");
    if (dram == nullptr || peak == nullptr) throw runtime_error("ceilings: no DRAM or f32 roof");
    double copy_dram = 0;
    for (const auto& c : ceilings.ceilings) {
      if (c.kernel == "copy" && c.level == "dram") copy_dram = c.max;
    }
    doc["ceilings"] = {{"dram_load_byte_per_s", dram->byte_per_s},
                       {"dram_copy_byte_per_s", copy_dram},
                       {"f32_simt_flop_per_s", peak->flop_per_s},
                       {"how", "kernels/ceilings sweep in this run (max over DRAM-level points)"}};

    doc["prefill"] = nlohmann::ordered_json::array();
    const bool run_prefill = cases.find("prefill") != std::string::npos;
    const bool run_decode = cases.find("decode") != std::string::npos;
    for (int causal : {0, 1}) {
      if (!run_prefill) break;
      const std::string problem =
          fmt::format("batch=1,hq=16,hkv=16,sq=2048,skv=2048,d=128,causal={}", causal);
      std::vector<profiler::measurement> unfused, flash;
      unfused.push_back(measure(rt, "unfused", problem, "", o.max_time));
      for (const char* params : prefill_grid) {
        flash.push_back(measure(rt, "kokkos_flash", problem, params, o.max_time));
        std::cerr << fmt::format("prefill causal={} {}: {}\n", causal, params,
                                 median_or_reason(flash.back()));
      }
      unfused.push_back(measure(rt, "unfused", problem, "", o.max_time));
      std::cerr << fmt::format("prefill causal={} unfused: {} / {}\n", causal,
                               median_or_reason(unfused[0]), median_or_reason(unfused[1]));
      const std::size_t best = bench::fastest(flash);
      const std::size_t ub = bench::fastest(unfused);
      const double t_unfused = median_or_inf(unfused[ub]);
      const double t_flash = median_or_inf(flash[best]);
      const double ratio = t_unfused / t_flash;
      const double flops = double(flash[best].work.total_flops());

      nlohmann::ordered_json r;
      r["problem"] = problem;
      r["dtype"] = "f32";
      r["unfused_median_s"] = t_unfused;
      r["unfused_flop_per_s"] = flops / t_unfused;
      r["flash_best_median_s"] = t_flash;
      r["flash_best_flop_per_s"] = flops / t_flash;
      r["flash_best_params"] = flash[best].params_text();
      r["ratio_flash_over_unfused"] = ratio;
      r["target_ratio"] = 1.0;
      r["target_met"] = ratio >= 1.0;
      r["flop_count_note"] =
          causal ? "work model counts visible pairs only (S(S+1)/2 per head); unfused computes "
                   "the full QK^T and masks, so its FLOP/s here is useful FLOP/s"
                 : "4*B*H*S^2*D";
      r["flash_placement"] = profiler::to_json(profiler::place(flash[best], roofs));
      r["unfused_placement"] = profiler::to_json(profiler::place(unfused[ub], roofs));
      if (check) {
        const auto c =
            measure(rt, "kokkos_flash", problem, flash[best].params_text(), o.max_time, true);
        r["flash_best_check"] = profiler::to_json(c)["check"];
        std::cerr << fmt::format("prefill causal={} check of the winner: {}\n", causal,
                                 c.check && c.check->passed ? "passed" : "FAILED " + c.reason);
      }
      r["unfused_measurements"] = profiler::to_json(unfused)["measurements"];
      r["flash_measurements"] = profiler::to_json(flash)["measurements"];
      doc["prefill"].push_back(r);
      lines.push_back(fmt::format("prefill causal={}  unfused {:>9}  flash {:>9}  ratio {:.3f}  {}",
                                  causal, profiler::format_rate(flops / t_unfused, "FLOP"),
                                  profiler::format_rate(flops / t_flash, "FLOP"), ratio,
                                  flash[best].params_text()));
    }

    if (run_decode) {
      if (decode_batch <= 0) {
        const double per_batch = 2.0 * 4 * 32768 * 128 * sizeof(float);  // K and V of one batch
        const double llc = double(profiler::this_cpu().last_level_cache_bytes());
        const double available = double(profiler::memory_available_bytes());
        decode_batch = std::max(1, int(std::ceil(4 * llc / per_batch)));
        if (available > 0) {
          decode_batch = std::max(1, std::min(decode_batch, int(0.5 * available / per_batch)));
        }
      }
      const std::string problem =
          fmt::format("batch={},hq=32,hkv=4,sq=1,skv=32768,d=128,causal=1", decode_batch);
      std::vector<profiler::measurement> flash;
      for (const char* params : decode_grid) {
        flash.push_back(measure(rt, "kokkos_flash", problem, params, o.max_time));
        std::cerr << fmt::format("decode {}: {}\n", params, median_or_reason(flash.back()));
      }
      const auto unfused = measure(rt, "unfused", problem, "", o.max_time);
      const std::size_t best = bench::fastest(flash);
      const double t = median_or_inf(flash[best]);
      const double bytes = double(flash[best].work.bytes_at("dram"));
      const double rate = bytes / t;
      const double fraction = rate / dram->byte_per_s;
      nlohmann::ordered_json r;
      r["problem"] = problem;
      r["dtype"] = "f32";
      r["flash_best_median_s"] = t;
      r["flash_best_params"] = flash[best].params_text();
      r["dram_bytes_work_model"] = bytes;
      r["achieved_byte_per_s"] = rate;
      r["dram_load_ceiling_byte_per_s"] = dram->byte_per_s;
      r["fraction_of_dram_ceiling"] = fraction;
      r["fraction_of_dram_copy_ceiling"] = copy_dram > 0 ? rate / copy_dram : 0.0;
      r["target_fraction"] = 0.6;
      r["target_met"] = fraction >= 0.6;
      r["inputs_cold"] = flash[best].rotation.inputs_cold;
      r["unfused_median_s"] = median_or_inf(unfused);
      r["unfused_byte_per_s"] = bytes / median_or_inf(unfused);
      r["flash_placement"] = profiler::to_json(profiler::place(flash[best], roofs));
      if (check) {
        const auto c =
            measure(rt, "kokkos_flash", problem, flash[best].params_text(), o.max_time, true);
        r["flash_best_check"] = profiler::to_json(c)["check"];
        std::cerr << fmt::format("decode check of the winner: {}\n",
                                 c.check && c.check->passed ? "passed" : "FAILED " + c.reason);
      }
      r["flash_measurements"] = profiler::to_json(flash)["measurements"];
      r["unfused_measurement"] = profiler::to_json(unfused);
      doc["decode"] = r;
      lines.push_back(fmt::format(
          "decode  GQA 8:1 B={} skv=32768  flash {:>10}  = {:.1f}% of DRAM load ceiling {:>10}  "
          "(unfused {:>10})  {}",
          decode_batch, profiler::format_rate(rate, "B"), 100 * fraction,
          profiler::format_rate(dram->byte_per_s, "B"),
          profiler::format_rate(bytes / median_or_inf(unfused), "B"), flash[best].params_text()));
    }
  };
  return bench::run_bench(report, o.out_path, body);
}
