// `ridgeline wisdom KERNEL --problem ...`: the best known configuration for a case on this device
// and where it came from (exact / nearest shape / same device type / kernel default), with the
// tuning run's provenance (autotune/wisdom_lookup.hpp).
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "autotune/wisdom_lookup.hpp"
#include "cli/device_roofs.hpp"
#include "cli/exit_codes.hpp"
#include "cli/results_store.hpp"
#include "cli/verbs.hpp"
#include "kernels/kernel.hpp"
#include "kernels/runtime.hpp"

namespace ridgeline::cli {

CLI::App* add_wisdom(CLI::App& app, wisdom_options& o) {
  CLI::App* cmd =
      app.add_subcommand("wisdom", "The best known configuration for a problem on this device");
  cmd->add_option("kernel", o.kernel, "Kernel name: " + kernel_names())->required();
  cmd->add_option("--problem", o.problem,
                  "Problem, e.g. m=2048,n=2048,k=2048 (with --preset: fields that override it)");
  cmd->add_option("--preset", o.preset, "Model shape from configs/problems (e.g. deepseek-v3)");
  cmd->add_option("--tokens", o.tokens, "Tokens for --preset");
  cmd->add_option("--variant", o.variant, "Variant (default: the first with tunable axes)");
  cmd->add_option("--dtype", o.dtype, "f32, f64, or bf16/f16 for variants on matrix units (gemm vendor on cuda/hip)")->capture_default_str();
  cmd->add_option("--backend", o.backend, "Kokkos backend (default: Kokkos' default space)");
  return cmd;
}

int run_wisdom(const global_options& g, const wisdom_options& o) {
  autotune::wisdom_request req{o.kernel, o.variant, o.dtype,
                               problem_with_preset(o.kernel, o.problem, o.preset, o.tokens),
                               o.backend};
  kernels::find_kernel(req.kernel).parse_problem(req.problem, "--problem");
  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db);
  const kernels::runtime rt({g.threads});
  const kernels::backend_info backend =
      rt.backend(o.backend.empty() ? rt.default_backend() : o.backend);
  const storage::device_identity identity = identity_of(backend, match_device(catalog, backend));
  const autotune::wisdom_result w = autotune::best_known_config(rt, db, identity, req);

  const auto& from = w.answer.from;
  if (g.json) {
    nlohmann::ordered_json j;
    j["schema"] = "ridgeline.wisdom/1";
    j["kernel"] = o.kernel;
    j["variant"] = w.variant;
    j["dtype"] = o.dtype;
    j["level"] = storage::to_string(w.answer.level);
    j["params"] = w.params_text;
    j["stale"] = w.answer.stale;
    j["explanation"] = w.answer.explanation;
    if (from) {
      j["tuning_run_id"] = from->run.run_id;
      j["tuned_problem"] = from->run.setup.what.problem_text;
      j["tuned_on"] = {{"name", from->device.name}, {"host", from->device.host},
                       {"backend", from->device.backend}};
      j["tuned_software"] = nlohmann::json::parse(from->run.setup.software_json);
      j["strategy"] = from->run.setup.strategy;
      j["stop_reason"] = from->run.stop_reason.value_or("");
      j["finished_at"] = from->run.finished_at.value_or("");
      j["time_median_s"] = from->best.timing ? nlohmann::ordered_json(from->best.timing->summary.median)
                                             : nlohmann::ordered_json(nullptr);
      j["shape_distance"] = w.answer.shape_distance;
    }
    j["current_software"] = w.software_key;
    std::cout << j.dump(2) << "\n";
    return exit_ok;
  }
  fmt::print("{} {} {}: {}\n", o.kernel, w.variant, o.dtype, w.params_text);
  fmt::print("  source   {}: {}\n", storage::to_string(w.answer.level), w.answer.explanation);
  if (from) {
    fmt::print("  tuned    run {} finished {}, {} strategy, stopped by {}\n", from->run.run_id,
               from->run.finished_at.value_or("?"), from->run.setup.strategy,
               from->run.stop_reason.value_or("?"));
    if (from->best.timing) {
      fmt::print("  time     {:.4g} s median on {} ({})\n", from->best.timing->summary.median,
                 from->device.name, from->best.problem_text());
    }
    fmt::print("  software {}{}\n", from->run.setup.software_key,
               w.answer.stale ? "  (STALE: the current software differs)" : "");
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
