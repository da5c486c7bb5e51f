// bench: the Kokkos tiled GEMM (best of a small hand-picked grid, until the tuner exists) against
// OpenBLAS, at 1024/2048/4096 in f32 and f64 on all host threads. Both are measured in the same
// run — OpenBLAS before and after the grid, the faster of its two medians kept — so the ratio is
// not distorted by whatever else the machine was doing at another time.
// Output: JSON (schema ridgeline.bench.gemm_vs_blas/1) with every measurement record, and a table.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/key_value.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "profiler/measurement_json.hpp"
#include "profiler/provenance.hpp"

namespace {

using namespace ridgeline;

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
  kernels::run_request r;
  r.kernel = "gemm";
  r.variant = variant;
  r.dtype = dtype;
  r.problem = parse_key_value_list(fmt::format("m={0},n={0},k={0}", size), "--problem");
  r.params = parse_key_value_list(params, "--params");
  r.harness.max_seconds = max_time;
  r.harness.min_samples = 3;
  r.harness.warmup_seconds = 0.1;
  return kernels::run_kernel(rt, r);
}

double median_or_inf(const profiler::measurement& m) {
  return m.outcome == profiler::status::ok && m.timing ? m.timing->summary.median : INFINITY;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Kokkos tiled GEMM vs OpenBLAS, ratio measured in one run"};
  std::string sizes_text = "1024,2048,4096";
  std::string dtypes_text = "f32,f64";
  std::string out_path = "bench/results/gemm_vs_blas.json";
  std::vector<std::string> grid(std::begin(default_grid), std::end(default_grid));
  double max_time = 1.5;
  app.add_option("--sizes", sizes_text, "Square sizes")->capture_default_str();
  app.add_option("--dtypes", dtypes_text, "Dtypes")->capture_default_str();
  app.add_option("--out", out_path, "JSON output file")->capture_default_str();
  app.add_option("--grid", grid, "Kokkos configurations to try (replaces the default grid)");
  app.add_option("--max-time", max_time, "Sampling time cap per measurement, s")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  try {
    const kernels::runtime rt;
    nlohmann::ordered_json doc;
    doc["schema"] = "ridgeline.bench.gemm_vs_blas/1";
    doc["what"] =
        "speed ratio kokkos_tiled / OpenBLAS (= OpenBLAS median time / best Kokkos median time); "
        "target >= 0.75 at 2048^3 f32";
    doc["host"] = nlohmann::ordered_json::object();
    for (const auto& [k, v] : profiler::host_provenance()) doc["host"][k] = v;
    doc["results"] = nlohmann::ordered_json::array();

    std::vector<std::string> lines;
    for (const auto& dtype : parse_name_list(dtypes_text, "--dtypes")) {
      for (const auto& size_text : parse_name_list(sizes_text, "--sizes")) {
        const int size = static_cast<int>(parse_integer(size_text, "--sizes"));
        std::vector<profiler::measurement> vendor, tiled;
        vendor.push_back(measure(rt, "vendor", dtype, size, "", max_time));
        for (const auto& params : grid) {
          tiled.push_back(measure(rt, "kokkos_tiled", dtype, size, params, max_time));
          std::cerr << fmt::format(
              "{} {} {}: {}\n", dtype, size, params,
              tiled.back().timing ? profiler::format_seconds(tiled.back().timing->summary.median)
                                  : tiled.back().reason);
        }
        vendor.push_back(measure(rt, "vendor", dtype, size, "", max_time));

        const double blas = std::min(median_or_inf(vendor[0]), median_or_inf(vendor[1]));
        std::size_t best = 0;
        for (std::size_t i = 1; i < tiled.size(); ++i) {
          if (median_or_inf(tiled[i]) < median_or_inf(tiled[best])) best = i;
        }
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
    std::ofstream out(out_path);
    if (!out) throw runtime_error("--out: cannot write " + out_path);
    out << doc.dump(2) << "\n";

    fmt::print("{:<5} {:>5}  {:>12}  {:>12}  {:>6}  {}\n", "dtype", "size", "OpenBLAS",
               "Kokkos best", "ratio", "best Kokkos params");
    for (const auto& l : lines) fmt::print("{}\n", l);
    fmt::print("wrote {}\n", out_path);
  } catch (const usage_error& e) {
    std::cerr << "bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
