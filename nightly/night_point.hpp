#pragma once
// One night of one job entry, as regression detection and the report see it: the configuration
// that night ended up with (the faster of the tuned best and the previous best re-measured), and
// its raw timing samples.
#include <cstdint>
#include <string>
#include <vector>

namespace ridgeline::nightly {

struct night_point {
  std::int64_t nightly_run_id = 0;
  std::string started_at;
  std::string software_key;
  bool good = false;  // the nightly run's verdict was pass
  std::int64_t measurement_id = 0;
  std::string params;               // "name=value,..." of the configuration
  bool from_previous_best = false;  // the re-measured previous best beat tonight's tuning
  std::vector<double> samples;      // seconds per launch, one per sample
  double median_s = 0;
};

}  // namespace ridgeline::nightly
