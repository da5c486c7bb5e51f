#pragma once
// What the database keeps about a nightly run (issue 14, docs/nightly.md) beyond its ordinary
// rows: the job it ran, the hardware type it ran as, the software it ran with, one entry per job
// entry committed, and the regression flags raised. A nightly run is a run (runs row, status
// running/complete/failed), so a killed job's rows stay invisible to default readers until it is
// resumed and finished.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/run_record.hpp"
#include "storage/tuning_record.hpp"

namespace ridgeline::storage {

enum class nightly_verdict {
  pass,           // every entry ran and passed its checks, no regression flagged
  regression,     // at least one flag (exit code 3)
  checks_failed,  // an entry failed its correctness check: nothing of the run feeds wisdom
};
const char* to_string(nightly_verdict v);
nightly_verdict parse_nightly_verdict(const std::string& text);  // throws ridgeline::runtime_error

// What the runner says about a nightly run it starts.
struct nightly_setup {
  std::string job_name;
  std::string job_path;
  std::string job_sha256;     // of the job file's bytes: a resumed run must be the same job
  std::string hardware_type;  // the job's label for this machine (Slurm task), else the card id
  std::string software_key;   // service::software_key of the software it ran with
  std::string software_json;  // the same facts, plus git commit and Ridgeline version
};

struct nightly_run_record {
  std::int64_t run_id = 0;
  std::int64_t device_id = 0;
  run_status status = run_status::running;
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string host;
  std::int64_t pid = 0;
  nightly_setup setup;
  std::optional<nightly_verdict> verdict;  // set when finished
  std::optional<std::string> report_path;
};

// One job entry as committed: the case, the ids of what measured it, and whether its checks
// passed. entry_key names the entry across nights ("gemm/kokkos_tiled/f32/m=512,n=512,k=512").
struct nightly_entry_record {
  std::int64_t id = 0;
  std::int64_t nightly_run_id = 0;
  std::string entry_key;
  tuning_case what;
  std::optional<std::int64_t> tuning_run_id;
  std::optional<std::int64_t> best_measurement_id;
  std::optional<std::int64_t> default_measurement_id;
  std::optional<std::int64_t> previous_best_measurement_id;  // tonight's re-measurement
  std::optional<std::int64_t> previous_nightly_run_id;       // whose best it re-measured
  bool checks_passed = false;
  std::string note;  // why checks failed or what was skipped; empty when all is well
};

// One regression test that fired.
struct nightly_flag_record {
  std::int64_t id = 0;
  std::int64_t nightly_run_id = 0;
  std::string entry_key;
  std::string test;   // "mann_whitney" or "e_divisive"
  double effect = 0;  // relative slowdown of the typical time: 0.12 = 12% slower
  std::optional<double> p_value;
  std::string compared_json;  // the runs compared: {"baseline_runs": [...], "tonight": N, ...}
  std::string message;        // one sentence for people
};

}  // namespace ridgeline::storage
