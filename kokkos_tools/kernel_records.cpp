#include "kokkos_tools/kernel_records.hpp"

#include <fmt/format.h>

#include "profiler/statistics.hpp"

namespace ridgeline::kokkos_tools {

profiler::measurement to_measurement(const kernel_key& key, const kernel_timings& times,
                                     const kernel_work* work, const record_context& context) {
  profiler::measurement m;
  m.kernel = key.label;
  m.variant = connector_variant;
  m.backend = key.backend;
  m.params = {{"construct", key.construct}};
  m.outcome = profiler::status::ok;

  profiler::timing_result t;
  t.samples = times.samples();
  t.summary = profiler::summarize(times.samples());
  t.batch = 1;
  t.stopped = profiler::stop_reason::application;
  t.timer = context.timer;
  m.timing = std::move(t);

  if (work != nullptr) {
    m.work = work->work;
    m.dtype = work->dtype;
    m.counts_source = "work_file";
  } else {
    m.counts_source = "none";
  }
  // The application's own buffers, launched in its own order: nothing made the inputs cold.
  m.rotation.copies = 1;
  m.rotation.inputs_cold = false;

  m.provenance = context.provenance;
  m.provenance.emplace_back("invocations", std::to_string(times.invocations()));
  m.provenance.emplace_back("total_time_s", fmt::format("{:.9g}", times.total_seconds()));
  m.provenance.emplace_back("samples_kept", std::to_string(times.samples().size()));
  return m;
}

}  // namespace ridgeline::kokkos_tools
