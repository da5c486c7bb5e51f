// ridgeline — the command line. Each verb's options and work live in verb_*.cpp; this file parses,
// dispatches and turns exceptions into one line on stderr and an exit code.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <functional>
#include <iostream>

#include "cli/exit_codes.hpp"
#include "cli/verbs.hpp"
#include "core/build_info.hpp"
#include "core/error.hpp"

namespace {

// libgomp reads OMP_* once, when it is loaded: setting them in main() is too late. Unbound
// OpenMP threads migrate between cores and make CPU timings noisy (and Kokkos warns on every run),
// so when the user has not chosen a binding we choose spread/threads and re-execute ourselves.
// The values in force are recorded in every measurement's provenance.
void bind_openmp_threads(char** argv) {
  if (std::getenv("OMP_PROC_BIND") != nullptr || std::getenv("RIDGELINE_NO_REEXEC") != nullptr) {
    return;
  }
  setenv("OMP_PROC_BIND", "spread", 0);
  setenv("OMP_PLACES", "threads", 0);
  setenv("RIDGELINE_NO_REEXEC", "1", 1);
  execv("/proc/self/exe", argv);
  // exec failed (no /proc?): carry on unbound rather than fail.
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ridgeline::cli;
  bind_openmp_threads(argv);

  CLI::App app{"Ridgeline: roofline kernel profiler and autotuner", "ridgeline"};
  app.set_version_flag("--version", ridgeline::this_build().version + " (" +
                                        ridgeline::this_build().git_revision + ")");
  app.require_subcommand(1);
  // Global options are accepted after the verb too (`ridgeline run ... --db x.sqlite`): a
  // subcommand passes an option it does not know up to this parser. Set before the verbs are
  // added, which inherit it.
  app.fallthrough();
  global_options global;
  app.add_flag("--json", global.json, "Machine-readable output (JSON) on stdout");
  app.add_option("--threads", global.threads, "Host threads for the OpenMP backend")
      ->check(CLI::PositiveNumber);
  app.add_option("--db", global.db,
                 "Results database: an SQLite file or a postgresql:// URL (default: $RIDGELINE_DB, "
                 "else $XDG_DATA_HOME/ridgeline/)");
  for (int i = 0; i < argc; ++i) global.command += (i ? " " : "") + std::string(argv[i]);
  app.add_option("--catalog", global.catalog,
                 "Device catalog directory (default: $RIDGELINE_CATALOG or configs/devices)");

  // Each verb: its options (filled by parsing), its subcommand, and the work run after parsing.
  struct verb {
    CLI::App* cmd;
    std::function<int()> run;
  };
  devices_options devices;
  run_options run;
  ceilings_options ceilings;
  roofline_options roofline;
  export_options export_opts;
  import_options import_opts;
  replay_options replay;
  tune_options tune;
  wisdom_options wisdom;
  merge_options merge;
  nightly_options nightly;
  const std::vector<verb> verbs = {
      {add_devices(app, devices), [&] { return run_devices(global, devices); }},
      {add_run(app, run), [&] { return run_run(global, run); }},
      {add_ceilings(app, ceilings), [&] { return run_ceilings(global, ceilings); }},
      {add_roofline(app, roofline), [&] { return run_roofline(global, roofline); }},
      {add_export(app, export_opts), [&] { return run_export(global, export_opts); }},
      {add_import(app, import_opts), [&] { return run_import(global, import_opts); }},
      {add_replay(app, replay), [&] { return run_replay(global, replay); }},
      {add_tune(app, tune), [&] { return run_tune(global, tune); }},
      {add_wisdom(app, wisdom), [&] { return run_wisdom(global, wisdom); }},
      {add_merge(app, merge), [&] { return run_merge(global, merge); }},
      {add_nightly(app, nightly), [&] { return run_nightly(global, nightly); }},
  };

  // CLI11 reports an unknown verb as "A subcommand is required"; name it instead.
  std::vector<std::string> verb_names;
  for (const verb& v : verbs) verb_names.push_back(v.cmd->get_name());
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--threads" || word == "--catalog" || word == "--db") {
      ++i;
      continue;
    }
    if (word.empty() || word[0] == '-') continue;
    if (std::find(verb_names.begin(), verb_names.end(), word) == verb_names.end()) {
      std::cerr << fmt::format("ridgeline: unknown verb '{}' (verbs: {})\n", word,
                               fmt::join(verb_names, ", "));
      return exit_usage;
    }
    break;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "ridgeline: " << e.what() << "\n";
    return exit_usage;
  }

  try {
    for (const verb& v : verbs) {
      if (v.cmd->parsed()) return v.run();
    }
  } catch (const ridgeline::usage_error& e) {
    std::cerr << "ridgeline: " << e.what() << "\n";
    return exit_usage;
  } catch (const ridgeline::runtime_error& e) {
    std::cerr << "ridgeline: " << e.what() << "\n";
    return exit_runtime;
  } catch (const std::exception& e) {
    std::cerr << "ridgeline: internal error: " << e.what() << "\n";
    return exit_runtime;
  }
  return exit_usage;
}
