// bench: the Kokkos tiled GEMM (best of a small hand-picked grid, until the tuner exists) against
// OpenBLAS, at 1024/2048/4096 in f32 and f64 on all host threads. Both are measured in the same
// run — OpenBLAS before and after the grid, the faster of its two medians kept — so the ratio is
// not distorted by whatever else the machine was doing at another time.
// Output: JSON (schema ridgeline.bench.gemm_vs_blas/1) with every measurement record, and a table.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/bench_report.hpp"
#include "core/key_value.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "profiler/measurement_json.hpp"
#include "service/case_request.hpp"

namespace {

using namespace ridgeline;
using bench::median_or_inf;

// Hand-picked from the axes' meaning on a CPU: one thread per team, panels staged in scratch
// level 1 (level 0 is capped at 32 KiB on host backends; `stage=none` reads B at a power-of-two
// stride and runs ~10x slower, so it is left out), register tiles that fill the AVX-512 register
// file (6-8 rows x 16-32 columns), K steps that keep the panels in L2, both panel layouts
// (rows won for f32, micro for f64 in a first sweep on the Zen 4 VM).
const char* const default_grid[] = {
    "tile_m=96,tile_n=384,tile_k=192,reg_m=6,reg_n=32,stage=l1,panel_layout=rows",
    "tile_m=192,tile_n=384,tile_k=192,reg_m=6,reg_n=32,stage=l1,panel_layout=rows",
    "tile_m=192,tile_n=256,tile_k=256,reg_m=6,reg_n=32,stage=l1,panel_layout=rows",
    "tile_m=96,tile_n=256,tile_k=256,reg_m=6,reg_n=32,stage=l1,panel_layout=rows",
    "tile_m=192,tile_n=256,tile_k=256,reg_m=6,reg_n=32,stage=l1,panel_layout=micro",
    "tile_m=256,tile_n=256,tile_k=256,reg_m=8,reg_n=32,stage=l1,panel_layout=micro",
    "tile_m=192,tile_n=384,tile_k=192,reg_m=6,reg_n=32,stage=l1,panel_layout=micro",
    "tile_m=128,tile_n=512,tile_k=128,reg_m=8,reg_n=32,stage=l1,panel_layout=micro",
};

profiler::measurement measure(const kernels::runtime& rt, const std::string& variant,
                              const std::string& dtype, int size, const std::string& params,
                              double max_time) {
  service::case_text text;
  text.kernel = "gemm";
  text.variant = variant;
  text.dtype = dtype;
  text.problem = {{"m", std::to_string(size)}, {"n", std::to_string(size)}, {"k", std::to_string(size)}};
  kernels::run_request r =
      service::run_request_for(rt, text, parse_key_value_list(params, "--params"), "");
  r.harness.max_seconds = max_time;
  r.harness.min_samples = 3;
  r.harness.warmup_seconds = 0.1;
  return kernels::run_kernel(rt, r);
}

// The document: its schema and what it measures.
const bench::report_kind report{
    "ridgeline.bench.gemm_vs_blas/1",
    "speed ratio kokkos_tiled / OpenBLAS (= OpenBLAS median time / best Kokkos median time); "
    "target >= 0.75 at 2048^3 f32"};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Kokkos tiled GEMM vs OpenBLAS, ratio measured in one run"};
  std::string sizes_text = "1024,2048,4096";
  std::string dtypes_text = "f32,f64";
  bench::bench_options o{"bench/results/gemm_vs_blas.json", 1.5};
  std::vector<std::string> grid(std::begin(default_grid), std::end(default_grid));
  app.add_option("--sizes", sizes_text, "Square sizes")->capture_default_str();
  app.add_option("--dtypes", dtypes_text, "Dtypes")->capture_default_str();
  bench::add_bench_options(app, o);
  app.add_option("--grid", grid, "Kokkos configurations to try (replaces the default grid)");
  CLI11_PARSE(app, argc, argv);

  const auto body = [&](const kernels::runtime& rt, nlohmann::ordered_json& doc,
                        std::vector<std::string>& lines) {
    doc["results"] = nlohmann::ordered_json::array();

    lines.push_back(fmt::format("{:<5} {:>5}  {:>12}  {:>12}  {:>6}  {}", "dtype", "size",
                                "OpenBLAS", "Kokkos best", "ratio", "best Kokkos params"));
    for (const auto& dtype : parse_name_list(dtypes_text, "--dtypes")) {
      for (const auto& size_text : parse_name_list(sizes_text, "--sizes")) {
        const int size = static_cast<int>(parse_integer(size_text, "--sizes"));
        std::vector<profiler::measurement> vendor, tiled;
        vendor.push_back(measure(rt, "vendor", dtype, size, "", o.max_time));
        for (const auto& params : grid) {
          tiled.push_back(measure(rt, "kokkos_tiled", dtype, size, params, o.max_time));
          std::cerr << fmt::format("{} {} {}: {}\n", dtype, size, params,
                                   bench::median_or_reason(tiled.back()));
        }
        vendor.push_back(measure(rt, "vendor", dtype, size, "", o.max_time));

        const double blas = std::min(median_or_inf(vendor[0]), median_or_inf(vendor[1]));
        const std::size_t best = bench::fastest(tiled);
        const double kokkos = median_or_inf(tiled[best]);
        const double ratio = blas / kokkos;
        const double flops = 2.0 * size * size * static_cast<double>(size);

        nlohmann::ordered_json r;
        r["dtype"] = dtype;
        r["size"] = size;
        r["openblas_median_s"] = blas;
        r["openblas_flop_per_s"] = flops / blas;
        r["kokkos_best_median_s"] = kokkos;
        r["kokkos_best_flop_per_s"] = flops / kokkos;
        r["kokkos_best_params"] = tiled[best].params_text();
        r["ratio_kokkos_over_openblas"] = ratio;
        if (size == 2048 && dtype == "f32") {
          r["target_ratio"] = 0.75;
          r["target_met"] = ratio >= 0.75;
        }
        r["openblas_measurements"] = profiler::to_json(vendor)["measurements"];
        r["kokkos_measurements"] = profiler::to_json(tiled)["measurements"];
        doc["results"].push_back(r);
        lines.push_back(fmt::format("{:<5} {:>5}  {:>12}  {:>12}  {:>6.3f}  {}", dtype, size,
                                    profiler::format_rate(flops / blas, "FLOP"),
                                    profiler::format_rate(flops / kokkos, "FLOP"), ratio,
                                    tiled[best].params_text()));
      }
    }
  };
  return bench::run_bench(report, o.out_path, body);
}
