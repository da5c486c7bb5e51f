#pragma once
// FLOPs, bytes and time from a metrics file's formulas (configs/metrics/<vendor>/<arch>.yaml) over
// the counters one imported launch states, so an importer reads counters and never re-states a
// formula. A metric is computed only when every counter it needs is present; one missing any is
// left out and named (never computed with zeros).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "profiler/counters/metric_formulas.hpp"
#include "profiler/work_model.hpp"

namespace ridgeline::importers {

struct evaluated_work {
  profiler::work_model work;  // flops_<precision>_<unit> (zero counts left out), bytes_<level>
  std::optional<double> time_s;
  // Metrics of the file left out because counters are missing: "flops_f32_simt (no
  // sm__sass_thread_inst_executed_op_fadd_pred_on.sum)". Empty when everything was computed.
  std::vector<std::string> missing;
};

// `counters`: counter name -> value in the counter's own unit (instructions, bytes, ns as the
// metrics file declares). Throws runtime_error when a formula's result is not finite or negative.
evaluated_work evaluate_work(const profiler::counters::metric_file& file,
                             const std::map<std::string, double>& counters);

// The metrics file of `source` ("cupti", "rocprofv3") matching `arch` ("sm_90", "gfx942"), loaded
// from `metrics_dir`; throws usage_error naming the dir, source and arch when none matches.
profiler::counters::metric_file metric_file_for(const std::string& metrics_dir,
                                                const std::string& source, const std::string& arch);

}  // namespace ridgeline::importers
