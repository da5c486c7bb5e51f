#pragma once
// Human-readable forms of measurements: a block per measurement, and a side-by-side table when
// several variants ran on the same problem (quickstart: Kokkos vs OpenBLAS).
#include <ostream>
#include <string>
#include <vector>

#include "profiler/measurement.hpp"
#include "profiler/placement.hpp"

namespace ridgeline::profiler {

std::string format_seconds(double s);                     // "12.3 ms", "845 ns", "2.01 s"
std::string format_rate(double per_s, const char* unit);  // "140 GFLOP/s" with SI prefixes

void write_report(std::ostream& out, const measurement& m);
void write_table(std::ostream& out, const std::vector<measurement>& ms);
// One line: % of attainable, the bound, the roof source and device, headroom; or, when the roof is
// below what was achieved, "roof below achieved: this roof set is wrong or stale (...)".
void write_placement(std::ostream& out, const placement& p);

}  // namespace ridgeline::profiler
