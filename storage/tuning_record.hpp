#pragma once
// What the database keeps about a tuning run beyond its measurements: the case it tuned, the
// software that produced it (so a result from another compiler, Kokkos or driver is recognised as
// stale), the search it ran, and how it ended. The evaluated configurations themselves are the
// run's ordinary measurement rows (status ok, invalid_config, launch_failed, wrong_result, or
// timeout for a configuration cut for being far slower than the best so far).
#include <cstdint>
#include <optional>
#include <string>

#include "profiler/measurement.hpp"
#include "storage/device_identity.hpp"
#include "storage/run_record.hpp"

namespace ridgeline::storage {

// The case a tuning result answers. Two runs with equal keys tuned the same thing.
struct tuning_case {
  std::string kernel;
  std::string variant;
  std::string dtype;
  std::string backend;       // Kokkos execution space ("OpenMP", "Cuda")
  std::string problem_text;  // measurement::problem_text(), e.g. "m=2048,n=2048,k=2048"
  std::string problem_json;  // {"m": 2048, ...}: numbers, for the nearest-shape distance
};

struct tuning_setup {
  tuning_case what;
  // Canonical text of the software facts ("compiler=GNU 12.2.0;kokkos=3.4.1;..."): equal text
  // means the same software. software_json holds the same facts as an object.
  std::string software_key;
  std::string software_json;
  std::string strategy;
  std::string strategy_options;  // canonical "name=value,..." (defaults filled in)
  std::uint64_t seed = 0;        // stored as decimal text: SQLite integers are signed 64-bit
  std::string stop_json;         // the stop conditions asked for
  std::optional<double> floor_time_s;  // the roofline's lowest time for this case, when known
};

struct tuning_run_record {
  std::int64_t run_id = 0;
  std::int64_t device_id = 0;
  run_status status = run_status::running;
  std::string started_at;
  std::optional<std::string> finished_at;
  std::string host;
  std::int64_t pid = 0;
  tuning_setup setup;
  std::optional<std::string> stop_reason;          // set when the run ended
  std::optional<std::int64_t> best_measurement_id;  // none when no configuration ran ok
  std::int64_t evaluations = 0;
  // Configurations measured per minute of wall time by the invocation that last worked on the run
  // (resumed answers from the database excluded): none when nothing was measured, or the run was
  // written before schema version 5.
  std::optional<double> evaluations_per_minute;
};

// One complete tuning run and its best configuration: what wisdom chooses from.
struct tuned_result {
  tuning_run_record run;
  device_identity device;
  profiler::measurement best;
};

}  // namespace ridgeline::storage
