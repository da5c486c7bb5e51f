#pragma once
// Which dispatches of a rocprofv3 run belong to the measured workload, and its counts per launch.
// The child process prepares its inputs (kernels of its own: fills, copies, runtime start-up) and
// then launches the workload N times, last. So the workload's dispatches are the last N*K of the
// run, K the dispatches of one launch. K is found by running the same child with N and 2N launches:
// the setup is the same, so the difference is N*K. The selection is then checked: the N blocks of
// K must repeat the same kernels in the same order, or nothing is attributed.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "profiler/counters/rocprof_output.hpp"

namespace ridgeline::profiler::counters {

// Dispatches whose kernel name matches `regex` (ECMAScript, searched; empty = all), sorted by
// dispatch id. Throws runtime_error when they ran on more than one agent (GPU).
std::vector<dispatch_record> matching_dispatches(const std::vector<dispatch_record>& all,
                                                 const std::string& regex);

// K from the matching dispatch counts of a run with `launches` launches and one with twice as many.
// Throws runtime_error when the difference is not a positive multiple of `launches`.
std::size_t dispatches_per_launch(std::size_t with_n, std::size_t with_2n, std::size_t launches);

struct launch_counts {
  std::map<std::string, double> values;  // counter -> mean over launches of its sum over the
                                         // launch's dispatches
  std::optional<double> time_s;          // mean device time of one launch (dispatch timestamps)
  std::vector<std::string> kernels;      // the kernel names of one launch, in order
};

// The last launches*per_launch of `dispatches` (from matching_dispatches), checked and reduced to
// one launch. Every counter in `counters` must be present in every selected dispatch. Throws
// runtime_error naming what is wrong (too few dispatches, blocks that differ, a missing counter).
launch_counts per_launch(const std::vector<dispatch_record>& dispatches, std::size_t launches,
                         std::size_t per_launch, const std::vector<std::string>& counters);

}  // namespace ridgeline::profiler::counters
