// `ridgeline run KERNEL --problem ...`: one or more variants of a kernel on one problem, checked
// and timed; a report per measurement (or JSON), and a side-by-side table when several ran.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/device_roofs.hpp"
#include "cli/exit_codes.hpp"
#include "cli/results_store.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "core/key_value.hpp"
#include "kernels/kernel.hpp"
#include "kernels/problem_presets.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "profiler/counters/rocprof_command.hpp"
#include "profiler/measurement_json.hpp"

namespace ridgeline::cli {

CLI::App* add_run(CLI::App& app, run_options& o) {
  CLI::App* cmd = app.add_subcommand("run", "Check and time a kernel on one problem");
  cmd->add_option("kernel", o.kernel, "Kernel name: " + kernel_names())->required();
  cmd->add_option("--problem", o.problem,
                  "Problem, e.g. m=4096,n=4096,k=4096 (with --preset: fields that override it)");
  cmd->add_option("--preset", o.preset,
                  "Model shape from configs/problems (e.g. deepseek-v3; $RIDGELINE_PROBLEMS)");
  cmd->add_option("--tokens", o.tokens,
                  "Tokens for --preset (attention: prefill sq=skv=tokens; decode: --tokens 1 "
                  "--problem skv=N)");
  cmd->add_option("--dtype", o.dtype, "f32, f64, or bf16/f16 for variants on matrix units (gemm vendor on cuda/hip)")->capture_default_str();
  cmd->add_option("--variant", o.variants,
                  "Variant(s), comma-separated (gemm: kokkos_tiled, vendor, reference)");
  cmd->add_option("--params", o.params, "Tunable axes, e.g. tile_m=64,reg_n=16");
  cmd->add_option("--backend", o.backend, "Kokkos backend (default: Kokkos' default space)");
  cmd->add_flag("--check", o.check, "Compare with the reference on fresh random data first");
  cmd->add_flag("--check-only", o.check_only, "Check, do not time");
  cmd->add_option("--seed", o.seed, "Seed of the random inputs (default: fresh)");
  cmd->add_option("--counters", o.counters,
                  "Hardware counters after timing: auto (perf_event on CPUs, CUPTI on CUDA, "
                  "rocprofv3 on HIP), none/analytic, cupti, perf, rocprof; unavailable counters "
                  "fall back to the analytic model with one message")
      ->capture_default_str();
  cmd->add_option("--metrics-dir", o.metrics_dir,
                  "Directory of metric formula files (default: the shipped configs/metrics)");
  // Hidden: how a rocprofv3 counter pass re-runs this measurement in a child process
  // (profiler/counters/rocprof_backend.hpp). Not for users: it prints and stores nothing.
  cmd->add_option(profiler::counters::counter_replay_option, o.counter_replay,
                  "Launch the workload N times without timing (rocprofv3 child)")
      ->group("");
  cmd->add_option("--max-time", o.harness.max_seconds, "Time cap of the sampling phase, seconds")
      ->capture_default_str();
  cmd->add_option("--target-spread", o.harness.target_relative_spread,
                  "Stop once (q3-q1)/median is below this")
      ->capture_default_str();
  cmd->add_option("--min-samples", o.harness.min_samples, "Samples before stopping is considered")
      ->capture_default_str();
  cmd->add_option("--max-samples", o.harness.max_samples, "Sample cap")->capture_default_str();
  cmd->add_option("--warmup", o.harness.warmup_seconds, "Warm-up time, seconds")
      ->capture_default_str();
  return cmd;
}

namespace {

// The child of a rocprofv3 pass: the same preparation as a measurement, then exactly
// `counter_replay` launches, which the parent's profiler counts. Nothing is timed, printed to
// stdout or stored: the parent records the measurement.
int run_counter_replay(const global_options& g, const run_options& o, const kernels::kernel& k,
                       const std::vector<std::string>& variants, const key_value_list& problem,
                       const key_value_list& params) {
  if (variants.size() != 1)
    throw usage_error(fmt::format("{}: needs exactly one --variant",
                                  profiler::counters::counter_replay_option));
  if (!o.seed)
    throw usage_error(fmt::format("{}: needs --seed (the parent's inputs)",
                                  profiler::counters::counter_replay_option));
  const kernels::runtime rt({g.threads});
  kernels::run_request req;
  req.kernel = k.name();
  req.variant = variants.front();
  req.dtype = o.dtype;
  req.problem = problem;
  req.params = params;
  req.backend = o.backend;
  req.seed = o.seed;
  req.harness = o.harness;
  req.counter_replay = o.counter_replay;
  const profiler::measurement m = kernels::run_kernel(rt, req);
  if (m.outcome != profiler::status::ok) {
    fmt::print(stderr, "ridgeline: counter replay: {}: {}\n", to_string(m.outcome), m.reason);
    return exit_runtime;
  }
  fmt::print(stderr, "ridgeline: counter replay: {} launches of {} {} done\n", o.counter_replay,
             m.kernel, m.variant);
  return exit_ok;
}

}  // namespace

int run_run(const global_options& g, const run_options& o) {
  // Everything the user typed is validated before Kokkos starts: a typo costs nothing.
  const kernels::kernel& k = kernels::find_kernel(o.kernel);
  std::vector<std::string> variants;
  for (const auto& name : parse_name_list(o.variants, "--variant")) {
    variants.push_back(k.find_variant(name).name());
  }
  if (variants.empty()) variants.push_back(k.variants().front()->name());
  const key_value_list problem = problem_with_preset(k.name(), o.problem, o.preset, o.tokens);
  const key_value_list params = parse_key_value_list(o.params, "--params");
  profiler::validate(o.harness);
  const auto counter_mode = profiler::counters::parse_counter_mode(o.counters, "--counters");

  if (o.counter_replay > 0) return run_counter_replay(g, o, k, variants, problem, params);

  bool any_tunable = false;
  for (const auto& v : variants) any_tunable = any_tunable || !k.find_variant(v).space().empty();

  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  // Opened before any work: a database this build cannot use is refused up front.
  storage::database db = open_results_database(g.db);

  const kernels::runtime rt({g.threads});
  const device_match device =
      match_device(catalog, rt.backend(o.backend.empty() ? rt.default_backend() : o.backend));
  std::vector<profiler::measurement> results;
  for (const auto& v : variants) {
    kernels::run_request req;
    req.kernel = o.kernel;
    req.variant = v;
    req.dtype = o.dtype;
    req.problem = problem;
    // --params belong to the variants that have axes; the others (vendor, reference) run as they
    // are beside them. Alone, a variant without axes gets them, and rejects them.
    req.params = k.find_variant(v).space().empty() && any_tunable ? key_value_list{} : params;
    req.backend = o.backend;
    req.check = o.check || o.check_only;
    req.time = !o.check_only;
    req.seed = o.seed;
    req.harness = o.harness;
    req.counters = counter_mode;
    req.metrics_dir = o.metrics_dir;
    req.rerunnable_as_cli = true;
    results.push_back(kernels::run_kernel(rt, req));
  }

  // Stored as one complete run; then every measurement against every roof set known for this
  // device: the catalog's datasheet roofs and the latest measured ceilings in the database.
  const storage::device_identity identity =
      identity_of(rt.backend(o.backend.empty() ? rt.default_backend() : o.backend), device);
  db.record(identity, results, {g.command});
  const auto measured = db.roofs(identity, profiler::roof_source::measured);
  auto placements = [&](const profiler::measurement& m) {
    std::vector<profiler::placement> out;
    if (device.datasheet) out.push_back(profiler::place(m, *device.datasheet));
    if (measured) out.push_back(profiler::place(m, *measured));
    return out;
  };
  if (g.json) {
    nlohmann::ordered_json doc = profiler::to_json(results);
    for (std::size_t i = 0; i < results.size(); ++i) {
      auto& roof = doc["measurements"][i]["roofline"] = nlohmann::ordered_json::array();
      for (const auto& p : placements(results[i])) roof.push_back(profiler::to_json(p));
    }
    std::cout << doc.dump(2) << "\n";
  } else {
    for (const auto& m : results) {
      profiler::write_report(std::cout, m);
      if (m.outcome != profiler::status::ok) continue;
      for (const auto& p : placements(m)) profiler::write_placement(std::cout, p);
      if (!device.datasheet) fmt::print("  roof    {}\n", device.detection.reason);
      if (!measured)
        fmt::print("  roof    no measured roofs yet for this device: run `ridgeline ceilings`\n");
    }
    if (results.size() > 1) {
      std::cout << "\n";
      profiler::write_table(std::cout, results);
    }
  }
  for (const auto& m : results) {
    if (m.outcome != profiler::status::ok) return exit_runtime;
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
