#pragma once
// Summary statistics of timing samples. The spread measure is the interquartile range relative to
// the median: robust to the occasional descheduled sample that min/max or a standard deviation
// would let dominate on a shared machine.
#include <vector>

namespace ridgeline::profiler {

struct sample_summary {
  std::size_t count = 0;
  double median = 0, min = 0, max = 0, mean = 0, q1 = 0, q3 = 0;
  double relative_spread = 0;  // (q3 - q1) / median; 0 for fewer than 2 samples
};

// Linear-interpolated quantile (type 7, as NumPy's default) of sorted values; p in [0, 1].
double quantile_sorted(const std::vector<double>& sorted, double p);

sample_summary summarize(std::vector<double> samples);

}  // namespace ridgeline::profiler
