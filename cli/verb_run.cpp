// `ridgeline run KERNEL --problem ...`: one or more variants of a kernel on one problem, checked
// and timed; a report per measurement (or JSON), and a side-by-side table when several ran.
#include <fmt/format.h>

#include <iostream>
#include <optional>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "core/key_value.hpp"
#include "kernels/run.hpp"
#include "kernels/runtime.hpp"
#include "profiler/console_report.hpp"
#include "profiler/counters/rocprof_command.hpp"
#include "service/measure_cases.hpp"

namespace ridgeline::cli {

CLI::App* add_run(CLI::App& app, run_options& o) {
  CLI::App* cmd = app.add_subcommand("run", "Check and time a kernel on one problem");
  add_case_options(cmd, o.what, "Variant(s), comma-separated (default: the kernel's first)");
  cmd->add_option("--params", o.params, "Tunable axes, e.g. tile_m=64,reg_n=16");
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
int run_counter_replay(const kernels::runtime& rt, const run_options& o, kernels::run_request req) {
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
  // Everything the user typed is parsed and checked before Kokkos starts: a typo costs nothing.
  std::vector<kernels::kernel_case> cases;
  std::vector<std::string> variants = parse_name_list(o.what.variant, "--variant");
  if (variants.empty()) variants.emplace_back();  // the kernel's first variant
  for (const auto& name : variants) {
    cases.push_back(service::parse_case(case_text_of(o.what, name), service::variant_use::any,
                                        service::cli_field_names));
  }
  const key_value_list params = parse_key_value_list(o.params, "--params");
  profiler::validate(o.harness);
  const auto counter_mode = profiler::counters::parse_counter_mode(o.counters, "--counters");
  if (o.counter_replay > 0 && cases.size() != 1) {
    throw usage_error(
        fmt::format("{}: needs exactly one --variant", profiler::counters::counter_replay_option));
  }
  if (o.counter_replay > 0 && !o.seed) {
    throw usage_error(fmt::format("{}: needs --seed (the parent's inputs)",
                                  profiler::counters::counter_replay_option));
  }
  bool any_tunable = false;
  for (const auto& c : cases) any_tunable = any_tunable || !c.v->space().empty();

  std::optional<roofline::device_catalog> catalog;
  std::optional<storage::database> db;
  if (o.counter_replay == 0) {
    catalog = load_device_catalog(g.catalog);
    // Opened before any work: a database this build cannot use is refused up front.
    db = open_results_database(g.db);
  }

  const kernels::runtime rt({g.threads});
  const kernels::backend_info backend = rt.backend(o.what.backend);
  std::vector<kernels::run_request> requests;
  for (const auto& c : cases) {
    kernels::run_request req;
    req.what = c;
    req.backend = backend.id;
    // --params belong to the variants that have axes; the others (vendor, reference) run as they
    // are beside them. Alone, a variant without axes gets them, and rejects them.
    req.config = service::case_config(
        c, backend.id, c.v->space().empty() && any_tunable ? key_value_list{} : params,
        service::cli_field_names.params);
    req.check = o.check || o.check_only;
    req.time = !o.check_only;
    req.seed = o.seed;
    req.harness = o.harness;
    req.counters = counter_mode;
    req.metrics_dir = o.metrics_dir;
    req.rerunnable_as_cli = true;
    requests.push_back(std::move(req));
  }
  if (o.counter_replay > 0) return run_counter_replay(rt, o, requests.front());

  const service::device_context device = service::device_for(rt, *catalog, backend.id);
  const service::measured_cases out =
      service::measure_and_place(rt, device, &*db, requests, g.command);
  if (g.json) {
    std::cout << service::results_document(out).dump(2) << "\n";
  } else {
    std::vector<profiler::measurement> records;
    for (const auto& r : out.results) {
      records.push_back(r.record);
      profiler::write_report(std::cout, r.record);
      if (r.record.outcome != profiler::status::ok) continue;
      for (const auto& p : r.placements) profiler::write_placement(std::cout, p);
      if (!out.datasheet_roofs) fmt::print("  roof    {}\n", device.match.detection.reason);
      if (!out.measured_roofs)
        fmt::print("  roof    no measured roofs yet for this device: run `ridgeline ceilings`\n");
    }
    if (records.size() > 1) {
      std::cout << "\n";
      profiler::write_table(std::cout, records);
    }
  }
  for (const auto& r : out.results) {
    if (r.record.outcome != profiler::status::ok) return exit_runtime;
  }
  return exit_ok;
}

}  // namespace ridgeline::cli
