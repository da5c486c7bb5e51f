#pragma once
// One function pair per verb: `add_*` declares the verb's options on the CLI11 app, `run_*` does
// the work after parsing and returns the exit code. Options live in the verb's struct.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "profiler/harness.hpp"
#include "service/case_request.hpp"

namespace ridgeline::cli {

struct global_options {
  bool json = false;
  int threads = 0;
  std::string catalog;  // device catalog directory (default: see cli/device_roofs.hpp)
  std::string db;       // results database (default: $RIDGELINE_DB, else the XDG data dir)
  std::string command;  // the command line, stored with every run
};

struct devices_options {};
CLI::App* add_devices(CLI::App& app, devices_options& o);
int run_devices(const global_options& g, const devices_options& o);

struct ceilings_options {
  std::string backend;
  double seconds_per_point = 0.15;
  std::string max_bytes;  // e.g. "256M"; empty = the default
  bool show_sweep = false;
  bool quick = false;
};
CLI::App* add_ceilings(CLI::App& app, ceilings_options& o);
int run_ceilings(const global_options& g, const ceilings_options& o);

struct export_options {
  std::string format = "json";
  std::string kernel;
  std::string variant;
  std::string output;
};
CLI::App* add_export(CLI::App& app, export_options& o);
int run_export(const global_options& g, const export_options& o);

struct import_options {
  std::vector<std::string> paths;
  std::string format = "auto";
  std::string device;
  std::string kernel_filter;
};
CLI::App* add_import(CLI::App& app, import_options& o);
int run_import(const global_options& g, const import_options& o);

struct roofline_options {
  std::string input;
  std::string ceilings;
  std::string device;
  std::string kernel;
  std::string format = "text";
  std::string output;
};
CLI::App* add_roofline(CLI::App& app, roofline_options& o);
int run_roofline(const global_options& g, const roofline_options& o);

// The options that name a case — kernel, --problem/--preset/--tokens, --variant, --dtype,
// --backend — declared once for run, tune and wisdom (cli/case_options.cpp). The checks are the
// service layer's (service/case_request.hpp), shared with the Python package.
struct case_options {
  std::string kernel;
  std::string problem;
  std::string preset;
  std::optional<std::int64_t> tokens;
  std::string variant;  // run: a comma-separated list
  std::string dtype = "f32";
  std::string backend;
};
void add_case_options(CLI::App* cmd, case_options& o, const std::string& variant_help);
// The words as the service layer takes them (`variant` replaced by the one named); usage errors
// name the option.
service::case_text case_text_of(const case_options& o, const std::string& variant);

struct run_options {
  case_options what;  // what.variant: comma-separated; empty = the kernel's first variant
  std::string params;
  bool check = false;
  bool check_only = false;
  std::optional<std::uint64_t> seed;
  profiler::harness_options harness;
  std::string counters = "auto";   // auto|none|analytic|cupti|perf|rocprof (profiler/counters/)
  std::string metrics_dir;         // empty = shipped configs/metrics
  std::size_t counter_replay = 0;  // hidden: the child of a rocprofv3 pass (kernels/run.hpp)
};
CLI::App* add_run(CLI::App& app, run_options& o);
int run_run(const global_options& g, const run_options& o);

struct replay_options {
  std::vector<std::string> spaces;
  std::string strategy;  // empty = the default strategy; "all"; or a comma-separated list
  std::string strategy_options;
  std::optional<std::uint64_t> budget;  // default: the space's B(0.95)
  std::uint64_t repeats = 20;
  std::uint64_t seed = 1;
  std::string trace;
};
CLI::App* add_replay(CLI::App& app, replay_options& o);
int run_replay(const global_options& g, const replay_options& o);

struct tune_options {
  case_options what;
  std::string strategy;
  std::string strategy_options;
  std::optional<std::uint64_t> budget;
  std::string time;  // "90", "90s", "5m", "1h"
  std::optional<std::uint64_t> no_improvement;
  std::optional<double> within_roof_percent;
  std::uint64_t seed = 1;
  bool resume = false;
  std::string check = "best";
  double abandon_factor = 3.0;  // --abandon-factor (alias --cut)
  profiler::harness_options harness;
};
CLI::App* add_tune(CLI::App& app, tune_options& o);
int run_tune(const global_options& g, const tune_options& o);

// `ridgeline wisdom export --device-type TYPE [-o FILE] [--kernel K]`: a subcommand of wisdom
// (service/wisdom_export.hpp, docs/wisdom-export.md); run_wisdom hands over to it.
struct wisdom_export_options {
  std::string device_type;
  std::string output;  // empty = stdout
  std::string kernel;  // empty = all
};
CLI::App* add_wisdom_export(CLI::App* wisdom, wisdom_export_options& o);
int run_wisdom_export(const global_options& g, const wisdom_export_options& o);

struct wisdom_options {
  case_options what;
  wisdom_export_options export_options;
  bool exporting = false;  // the export subcommand was given
};
CLI::App* add_wisdom(CLI::App& app, wisdom_options& o);
int run_wisdom(const global_options& g, const wisdom_options& o);

// `ridgeline merge A.sqlite B.sqlite ... -o fleet.sqlite` (storage/merge.hpp).
struct merge_options {
  std::vector<std::string> sources;
  std::string output;
};
CLI::App* add_merge(CLI::App& app, merge_options& o);
int run_merge(const global_options& g, const merge_options& o);

// `ridgeline nightly JOB.yaml` (docs/nightly.md): exit 3 when a regression is flagged.
struct nightly_options {
  std::string job;
  std::string hardware_type;  // overrides the job's label for this machine
  std::string report_dir;     // overrides the job's report folder
  // Fleets (docs/nightly-slurm.md): --slurm writes the Slurm scripts (--submit: and submits
  // them) into shared_dir (default: the job's report folder); --fleet-report writes the page
  // comparing the hardware types of a merged database.
  bool slurm = false;
  bool submit = false;
  std::string shared_dir;
  bool fleet_report = false;
};
CLI::App* add_nightly(CLI::App& app, nightly_options& o);
int run_nightly(const global_options& g, const nightly_options& o);

}  // namespace ridgeline::cli
