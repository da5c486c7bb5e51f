#pragma once
// One tuning run end to end: the kernel variant's own space, a named strategy, the search loop,
// every evaluated configuration committed to the database as it is measured, the best checked
// against the reference, and the run finished with why it stopped. `--resume` continues the
// latest unfinished run of the same case and setup: the strategy is re-created with the run's
// seed and every configuration it proposes that the run already committed is answered from the
// database, so nothing committed is measured again (strategies are deterministic given their
// seed and the outcomes they observe: tuner/strategy.hpp).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/key_value.hpp"
#include "kernels/kernel_case.hpp"
#include "kernels/runtime.hpp"
#include "profiler/harness.hpp"
#include "profiler/measurement.hpp"
#include "profiler/roofs.hpp"
#include "storage/database.hpp"
#include "tuner/search.hpp"

namespace ridgeline::service {

// Which configurations are compared with the reference. `best` (default): each one that would
// become the new best, before it is accepted — a wrong result never becomes the tuned answer,
// and the reference is computed a handful of times, not once per configuration.
enum class check_policy { none, best, all };
check_policy parse_check_policy(const std::string& text, const std::string& field);
const char* to_string(check_policy p);

struct tune_request {
  kernels::kernel_case what;  // parse_case(..., variant_use::tunable): a variant with axes
  std::string backend;        // a backend of the runtime
  std::string strategy;       // empty: tuner::default_strategy_name()
  key_value_list strategy_options;
  std::uint64_t seed = 1;
  tuner::stop_conditions stop;  // floor_time_s is filled from `roofs` when they allow it
  bool resume = false;
  check_policy check = check_policy::best;
  // A configuration whose fastest warm-up launch takes longer than abandon_factor x the best
  // time so far is abandoned at the end of warm-up instead of being timed fully — after its
  // first launch when that launch outlasts the warm-up. Recorded as status timeout, timing
  // stop_reason abandoned, reason "abandoned after N launches: ..." (docs/design.md says why 3).
  // 0 = never abandon.
  double abandon_factor = 3.0;
  profiler::harness_options harness;        // per configuration
  std::optional<profiler::roof_set> roofs;  // for the roofline floor and within-roof stop
  std::string command;                      // the command line, stored with the run
};

struct tune_progress {
  tuner::search_progress search;
  std::uint64_t reused = 0;            // answered from the database (resume)
  std::optional<double> floor_time_s;  // the roofline floor, when known
};

struct tune_outcome {
  storage::tuning_case what;  // the case as stored with the tuning run
  std::int64_t run_id = 0;
  bool resumed = false;
  std::uint64_t reused = 0;
  tuner::search_result search;
  std::optional<profiler::measurement> best;  // the best configuration's measurement
  std::optional<std::int64_t> best_measurement_id;
  profiler::measurement default_config;     // the variant's default, measured in the same run
  std::int64_t default_measurement_id = 0;  // its row in the run
  std::optional<double> floor_time_s;
  std::string floor_bound;   // "compute (f32 simt)", "dram bandwidth"
  std::string roofs_source;  // "measured" / "datasheet" / "" (none)
  // The best beat the floor by more than profiler::roof_tolerance: the roofs are below what was
  // achieved, so the floor is wrong and no "% of roof" may be reported. The reason names the roof
  // set: "this roof set is wrong or stale (datasheet card …): its roofline floor …".
  bool roof_below_achieved = false;
  std::string roof_below_achieved_reason;
  double seconds = 0;  // wall time of this invocation
  // Configurations this invocation measured (the default included; answers from the database on
  // resume are not measurements), and their pace over `seconds`: none when nothing was measured.
  std::uint64_t measured = 0;
  std::optional<double> evaluations_per_minute;
};

// The pace of a tuning invocation: measured configurations per minute of wall time; none when
// nothing was measured or no time passed.
std::optional<double> evaluations_per_minute(std::uint64_t measured, double seconds);

// Usage errors for bad names/options; runtime_error for a broken environment. An interrupted
// search (should_stop) ends with stop_reason "interrupted" and the run left resumable (failed).
tune_outcome tune(const kernels::runtime& rt, storage::database& db,
                  const storage::device_identity& device, const tune_request& request,
                  const std::function<void(const tune_progress&)>& on_progress = {},
                  const std::function<bool()>& should_stop = {});

}  // namespace ridgeline::service
