#pragma once
// The rocprofv3 counter backend (AMD GPUs, HIP). rocprofv3 profiles a whole process, so the
// workload cannot be counted in this one: each pass re-executes Ridgeline itself under
//   rocprofv3 --pmc <pass counters> --output-format csv -d <dir> -o pass
//     -- <ridgeline> run <kernel, variant, dtype, problem, params, backend, seed> --counters none
//        --counter-replay N
// The child prepares the same inputs and launches the workload N times with no timing; the pass
// reads rocprofv3's output, keeps the workload's dispatches (rocprof_select.hpp) and returns the
// counts of one launch. Replay mode "process"; passes = rocprofv3 invocations that counted.
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "profiler/counters/counter_backend.hpp"

namespace ridgeline::profiler::counters {

struct rocprof_options {
  std::string tool = "rocprofv3";  // looked up on $PATH (or a path)
  std::string path_env;            // the PATH searched; empty = $PATH
  std::string executable;          // the ridgeline binary the child runs; empty = /proc/self/exe
  std::vector<std::string> replay_args;  // its arguments that re-run the measurement
  // Launches per child: the counts are their mean (the first launch may start with cold caches).
  std::size_t launches = 3;
  // Counters per rocprofv3 pass before rocprofv3 is asked: 4 is the smallest per-block limit of
  // the counters the shipped gfx942 file reads (TCC, 4 per pass on CDNA). A pass rocprofv3 still
  // refuses as over the hardware limit (EXCEEDS_HW_LIMIT) is halved and run again.
  std::size_t counters_per_pass = 4;
  double timeout_s = 300;             // per rocprofv3 invocation (the child included)
  std::string kernel_regex;           // count only kernels matching it; empty = all of a launch
  std::string output_format = "csv";  // csv | json
  std::string kfd_topology = "/sys/class/kfd/kfd/topology/nodes";
  std::string kfd_device = "/dev/kfd";
  // Parent of the scratch directory (ridgeline-rocprof-XXXXXX, removed after the pass); empty =
  // $TMPDIR or the system's temporary directory.
  std::string work_dir;
};

// Defaults overridden by the environment: RIDGELINE_ROCPROFV3 (tool), RIDGELINE_ROCPROF_LAUNCHES,
// _COUNTERS_PER_PASS, _TIMEOUT (seconds), _KERNEL_REGEX, _FORMAT (csv|json). A malformed value
// throws counters_unavailable naming the variable.
rocprof_options rocprof_options_from_env(std::vector<std::string> replay_args);

std::unique_ptr<counter_backend> make_rocprof_backend(rocprof_options options);

// What rocprofv3's output says about a failed pass.
enum class rocprof_failure { hw_limit, permission, other };
rocprof_failure classify_failure(const std::string& output);

// The fix for missing GPU or counter access, said with every permission failure.
extern const char* const rocprof_permission_fix;

}  // namespace ridgeline::profiler::counters
