#pragma once
// `ridgeline nightly JOB.yaml` end to end (docs/nightly.md): every case of the job tuned on this
// machine, the previous best configuration re-measured beside it, each case committed as it
// finishes, regressions tested against the history of the same hardware type, the verdict and
// the report written. A job killed mid-way and started again continues its unfinished nightly run:
// committed cases are not measured again, and a case's tuning run resumes where it stopped.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kernels/runtime.hpp"
#include "nightly/job_file.hpp"
#include "profiler/measurement.hpp"
#include "roofline/device_catalog.hpp"
#include "storage/database.hpp"

namespace ridgeline::nightly {

struct nightly_request {
  job the_job;
  std::string hardware_type;  // empty: the job's, else the catalog card id, else the CPU/GPU name
  std::string report_dir;     // empty: the job's (relative to the job file)
  std::string command;        // stored with the run
};

struct case_result {
  job_case what;
  storage::nightly_entry_record entry;
  std::optional<profiler::measurement> best;            // tuned best (checked)
  std::optional<profiler::measurement> default_config;  // the variant's default, same run
  std::optional<profiler::measurement> previous_best;   // last good night's best, re-measured
  bool committed_before = false;  // done by an earlier attempt of this nightly run
};

struct nightly_outcome {
  std::int64_t run_id = 0;
  bool resumed = false;
  std::string hardware_type;
  std::vector<case_result> cases;
  std::vector<storage::nightly_flag_record> flags;
  storage::nightly_verdict verdict = storage::nightly_verdict::pass;
  std::string report_markdown;  // paths written
  std::string report_html;
};

// Progress lines for people ("[2/6] gemm/kokkos_tiled/f32/m=256,...: tuning ..."), on stderr in
// the CLI.
using say_fn = std::function<void(const std::string&)>;

nightly_outcome run_nightly(const kernels::runtime& rt, storage::database& db,
                            const roofline::device_catalog& catalog, const nightly_request& request,
                            const say_fn& say = {});

}  // namespace ridgeline::nightly
