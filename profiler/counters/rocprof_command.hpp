#pragma once
// The rocprofv3 command line of one counter pass, as an argument vector: it is executed without a
// shell, so paths with spaces or quotes reach rocprofv3 and the child exactly as written.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ridgeline::profiler::counters {

struct rocprof_invocation {
  std::string tool;                      // rocprofv3, resolved on PATH
  std::vector<std::string> counters;     // one pass: --pmc
  std::string output_dir;                // -d: a directory of this pass alone
  std::string output_name = "pass";      // -o: file name prefix
  std::string output_format = "csv";     // csv | json
  std::string kernel_regex;              // --kernel-include-regex; empty = every kernel
  std::string executable;                // the ridgeline binary the child runs
  std::vector<std::string> replay_args;  // its arguments that re-run the measurement
  std::size_t launches = 1;              // --counter-replay: launches of the workload in the child
};

// rocprofv3 --pmc C... --output-format F -d DIR -o NAME [--kernel-include-regex R]
//   -- EXECUTABLE REPLAY_ARGS... --counter-replay N
std::vector<std::string> rocprof_argv(const rocprof_invocation& inv);

// What re-runs one measurement in a child process: `ridgeline run` with the resolved problem, the
// full configuration and the seed of the inputs (data-dependent kernels such as MoE routing count
// differently on other data), and no counter pass of its own.
struct replay_spec {
  std::string kernel, variant, dtype;
  std::string problem;  // "m=64,n=64,k=64"
  std::string params;   // every axis, "tile_m=64,reg_m=4"; empty for variants without axes
  std::string backend;  // as `--backend` takes it ("hip")
  std::uint64_t seed = 0;
};
std::vector<std::string> replay_arguments(const replay_spec& r);

// The hidden `ridgeline run` option of the child: launch the workload N times, no timing.
inline constexpr const char* counter_replay_option = "--counter-replay";

// `name` itself when it contains a '/', else the first executable PATH entry holding it; empty when
// there is none. `path` is $PATH's value (passed in so tests choose it).
std::string find_on_path(const std::string& name, const std::string& path);

// This process's executable (/proc/self/exe); empty where the OS does not say.
std::string self_executable();

}  // namespace ridgeline::profiler::counters
