#pragma once
// A nightly job file (`ridgeline nightly JOB.yaml`, format in docs/nightly-job-file.md, examples in
// configs/nightly/): what to tune every night on one hardware type, where to keep the results, and
// when a slowdown counts as a regression. Loaded strictly: every problem is reported (not only the
// first), one line each, "FILE:LINE: FIELD: problem", and nothing runs until the file is clean.
// Each entry is expanded here into one job_case per kernel x variant x dtype x problem, so the
// runner, the resume logic and the report see one flat list with stable keys.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ridgeline::nightly {

// When a slower time is called a regression (both tests must clear the minimum effect).
struct regression_policy {
  double min_effect = 0.03;     // relative slowdown of the median below which nothing is flagged
  double max_p_value = 0.01;    // Mann-Whitney U one-sided significance
  std::size_t history = 30;     // nightly runs of the series given to change-point detection
  std::size_t min_history = 5;  // fewer runs than this: change-point detection is skipped
};

// A hardware type of the fleet (`--slurm`): where its Slurm task runs. partition is required;
// constraint and gres are each optional (a GPU type is usually picked by gres, a CPU node type by
// constraint; both may be given, as sbatch allows).
struct hardware_type_spec {
  std::string name;        // label, e.g. "h100", "xeon-spr": the key regressions compare within
  std::string partition;   // Slurm partition
  std::string constraint;  // --constraint feature, may be empty
  std::string gres;        // --gres, e.g. "gpu:h100:1", may be empty
  std::string time_limit;  // Slurm --time, e.g. "02:00:00"; empty = the partition's default
};

// One case of the job, after expansion.
struct job_case {
  std::string kernel;
  std::string variant;  // resolved: the one named, else the kernel's first tunable variant
  std::string dtype;    // canonical ("f32", also when the file says "float")
  // "m=512,n=512,k=512": the explicit fields as written, in the kernel's field order (so
  // reordering them in the file changes no key); with a preset, its overriding fields or empty.
  std::string problem;
  std::string preset;  // model preset name, may be empty
  std::optional<std::int64_t> tokens;
  std::string backend;                  // empty: the default backend
  std::string strategy;                 // empty: the tuner's default strategy
  std::string strategy_options;         // "name=value,..." as written; checked against the strategy
  std::optional<std::uint64_t> budget;  // evaluations
  std::string time;                     // "90s", "2m": at least one of budget/time is set
  std::uint64_t seed = 1;
  std::string where;  // "FILE:LINE" of the entry, for messages
  // Stable across nights and unique in the job: "KERNEL/VARIANT/DTYPE/PROBLEM" where PROBLEM is
  // the problem text, or "PRESET@TOKENS" (plus ",FIELD=V" for explicit fields) with a preset
  // ("PRESET,FIELD=V" without tokens).
  std::string key;
};

struct job {
  std::string path;    // as given
  std::string sha256;  // of the file's bytes (a resumed run must be the same job)
  std::string name;
  // Paths the file gives relative to itself come back resolved against the file's folder (a
  // database URL such as postgresql://... is kept as written).
  std::string database;       // results database; empty = the CLI's --db / default
  std::string report_dir;     // where reports are written; empty = none unless --report-dir
  std::string hardware_type;  // this machine's label when run outside Slurm; may be empty
  regression_policy regression;
  std::vector<hardware_type_spec> hardware_types;  // for --slurm; may be empty
  std::vector<job_case> cases;                     // in file order, at least one
};

// Throws ridgeline::usage_error with every problem of the file, one per line, each
// "FILE:LINE: FIELD: problem" (FIELD as a path: "entries[2].dtypes[0]"). Checks kernel, variant,
// dtype and problem names against the kernel registry (service::parse_case) and strategy options
// against the strategy's table, so a typo fails before anything runs; duplicate cases are refused
// (the same key, or the same problem values written differently). Backend names are checked when
// the job starts (the backends built in are known only once Kokkos runs).
job load_job(const std::string& path);

}  // namespace ridgeline::nightly
