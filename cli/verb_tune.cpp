// `ridgeline tune KERNEL --problem ...`: search a kernel variant's space on this device with a
// named strategy, every evaluation committed to the results database, and report the best
// configuration against the default and against the roofline (service/tune_session.hpp).
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "cli/data_sources.hpp"
#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "kernels/runtime.hpp"
#include "profiler/roofs.hpp"
#include "service/device_context.hpp"
#include "service/tune_json.hpp"
#include "service/tune_options.hpp"
#include "service/tune_session.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::cli {

namespace {

volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void on_sigint(int) {
  g_interrupted = 1;
}

std::string format_seconds(double s) {
  if (s >= 1) return fmt::format("{:.3g} s", s);
  if (s >= 1e-3) return fmt::format("{:.3g} ms", s * 1e3);
  return fmt::format("{:.3g} us", s * 1e6);
}

std::string strategy_help() {
  std::string text = "Search strategy (default: " + tuner::default_strategy_name() + ")";
  for (const auto& s : tuner::strategies()) text += "\n  " + s.name + ": " + s.description;
  return text;
}

}  // namespace

CLI::App* add_tune(CLI::App& app, tune_options& o) {
  CLI::App* cmd = app.add_subcommand("tune", "Search a kernel's tuning space on this device");
  add_case_options(cmd, o.what, "Variant (default: the first with tunable axes)");
  cmd->add_option("--strategy", o.strategy, strategy_help());
  cmd->add_option("--strategy-option", o.strategy_options,
                  "Strategy options, e.g. population=16,mutation=0.1 (see `ridgeline replay "
                  "--help`)");
  cmd->add_option("--budget", o.budget,
                  "Stop after this many evaluations (default 40 when no other stop is given)");
  cmd->add_option("--time", o.time, "Stop after this much wall time: 90, 90s, 5m, 1h");
  cmd->add_option("--no-improvement", o.no_improvement,
                  "Stop after this many evaluations in a row without a better time");
  cmd->add_option("--within-roof", o.within_roof_percent,
                  "Stop once the best is within this many percent of the roofline's attainable "
                  "performance");
  cmd->add_option("--seed", o.seed, "Seed of the strategy and of the inputs")
      ->capture_default_str();
  cmd->add_flag("--resume", o.resume,
                "Continue the latest unfinished run of this case and setup; nothing it committed "
                "is measured again");
  cmd->add_option("--check", o.check, "Reference checks: none, best (each new best, default), all")
      ->capture_default_str();
  // --cut is the option's earlier name (issue 4), kept so existing scripts keep working.
  cmd->add_option("--abandon-factor,--cut", o.abandon_factor,
                  "Abandon a configuration when its fastest warm-up launch (its first, for a "
                  "launch longer than --warmup) is more than this many times the best time so "
                  "far (0: never)")
      ->capture_default_str();
  o.harness = service::default_tune_harness();
  cmd->add_option("--max-time", o.harness.max_seconds,
                  "Time cap of each configuration's sampling, seconds")
      ->capture_default_str();
  cmd->add_option("--target-spread", o.harness.target_relative_spread,
                  "Stop sampling a configuration once (q3-q1)/median is below this")
      ->capture_default_str();
  cmd->add_option("--warmup", o.harness.warmup_seconds, "Warm-up per configuration, seconds")
      ->capture_default_str();
  return cmd;
}

int run_tune(const global_options& g, const tune_options& o) {
  // Everything the user typed is parsed and checked before Kokkos starts or the database is
  // touched.
  service::tune_request req;
  req.what = service::parse_case(case_text_of(o.what, o.what.variant),
                                 service::variant_use::tunable, service::cli_field_names);
  req.strategy = o.strategy;
  req.strategy_options = parse_key_value_list(o.strategy_options, "--strategy-option");
  req.seed = o.seed;
  req.resume = o.resume;
  req.check = service::parse_check_policy(o.check, "--check");
  req.abandon_factor = o.abandon_factor;
  req.harness = o.harness;
  req.command = g.command;
  service::stop_options stop;
  stop.budget = o.budget;
  if (!o.time.empty()) stop.seconds = service::parse_duration(o.time, "--time");
  stop.no_improvement = o.no_improvement;
  stop.within_roof_percent = o.within_roof_percent;
  req.stop = service::make_stop_conditions(stop);
  profiler::validate(req.harness);
  const kernels::kernel& k = *req.what.k;

  const roofline::device_catalog catalog = load_device_catalog(g.catalog);
  storage::database db = open_results_database(g.db);
  const kernels::runtime rt({g.threads});
  const service::device_context device = service::device_for(rt, catalog, o.what.backend);
  const kernels::backend_info& backend = device.backend;
  req.backend = backend.id;
  req.roofs = service::tuning_roofs(db, device);

  const bool tty = isatty(STDERR_FILENO) != 0 && !g.json;
  const auto progress = [&](const service::tune_progress& p) {
    if (!tty) return;
    std::string best = "-";
    if (p.search.best) {
      best = format_seconds(p.search.best->time_s);
      if (p.floor_time_s) {
        // A floor the best beats by more than the tolerance is wrong: no "% of roof" above 100.
        best +=
            profiler::exceeds_roof(*p.floor_time_s, p.search.best->time_s)
                ? std::string(" (roof below achieved)")
                : fmt::format(" ({:.0f}% of roof)", 100 * *p.floor_time_s / p.search.best->time_s);
      }
    }
    std::string eta;
    if (p.search.total_hint > p.search.done && p.search.done > 0) {
      eta = fmt::format(", ETA {:.0f} s",
                        p.search.elapsed_s / p.search.done * (p.search.total_hint - p.search.done));
    }
    std::cerr << fmt::format(
                     "\r\033[Ktune {}: {}/{} evaluated{}, best {}{}", k.name(), p.search.done,
                     p.search.total_hint ? std::to_string(p.search.total_hint) : "?",
                     p.reused ? fmt::format(" ({} from the database)", p.reused) : "", best, eta)
              << std::flush;
  };
  g_interrupted = 0;
  auto previous = std::signal(SIGINT, on_sigint);
  service::tune_outcome out;
  try {
    out = service::tune(rt, db, device.identity, req, progress, [] { return g_interrupted != 0; });
  } catch (...) {
    std::signal(SIGINT, previous);
    if (tty) std::cerr << "\n";
    throw;
  }
  std::signal(SIGINT, previous);
  if (tty) std::cerr << "\n";

  const auto time_of = [](const profiler::measurement& m) -> std::optional<double> {
    if (m.outcome != profiler::status::ok) return std::nullopt;
    return m.timing->summary.median;
  };
  const auto default_time = time_of(out.default_config);
  const auto best_time = out.best ? time_of(*out.best) : std::nullopt;
  std::size_t counts[5] = {};
  for (const auto& e : out.search.history) ++counts[static_cast<int>(e.status)];

  if (g.json) {
    std::cout << service::to_json(out).dump(2) << "\n";
  } else {
    fmt::print("tuning run {}{}: {} {} {} on {} ({})\n", out.run_id,
               out.resumed ? " (resumed)" : "", k.name(), out.default_config.variant, o.what.dtype,
               backend.kokkos_name, out.default_config.problem_text());
    fmt::print(
        "  evaluated {} configurations ({} ok, {} invalid, {} failed, {} wrong, {} abandoned); "
        "{} answered from the database\n",
        out.search.history.size(), counts[0], counts[1], counts[2], counts[3], counts[4],
        out.reused);
    fmt::print("  stopped: {} after {:.1f} s\n", out.search.stop_reason, out.seconds);
    if (out.evaluations_per_minute) {
      fmt::print("  pace     {:.3g} evaluations/minute ({} measured)\n",
                 *out.evaluations_per_minute, out.measured);
    }
    if (default_time) {
      fmt::print("  default  {:>10}  {}\n", format_seconds(*default_time),
                 out.default_config.params_text());
    } else {
      fmt::print("  default  {}: {}\n", profiler::to_string(out.default_config.outcome),
                 out.default_config.reason);
    }
    if (best_time) {
      fmt::print("  best     {:>10}  {}\n", format_seconds(*best_time), out.best->params_text());
      if (default_time)
        fmt::print("  speedup  {:.2f}x over the default\n", *default_time / *best_time);
      if (out.roof_below_achieved) {
        fmt::print("  roof     roof below achieved: {}\n", out.roof_below_achieved_reason);
      } else if (out.floor_time_s) {
        fmt::print(
            "  roof     {:.1f}% of the {} roofline's attainable ({} bound, floor {}); "
            "headroom {:.2f}x\n",
            100 * *out.floor_time_s / *best_time, out.roofs_source, out.floor_bound,
            format_seconds(*out.floor_time_s), *best_time / *out.floor_time_s);
      } else {
        fmt::print("  roof     no roofs for this device: run `ridgeline ceilings`\n");
      }
    } else {
      fmt::print("  best     none: no configuration ran correctly\n");
    }
    if (out.search.stop_reason == "interrupted") {
      fmt::print("  interrupted: the results so far are stored; continue with --resume\n");
    }
  }
  if (out.search.stop_reason == "interrupted") return exit_runtime;
  return best_time ? exit_ok : exit_runtime;
}

}  // namespace ridgeline::cli
