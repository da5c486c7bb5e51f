#pragma once
// Runs a command (an argument vector, no shell) as a child process with a time limit, capturing
// what it writes to stdout and stderr, and says how it ended. The child gets its own process group
// so a timeout ends the profiler and the application it started together.
#include <string>
#include <vector>

namespace ridgeline::profiler::counters {

struct process_result {
  bool started = false;    // false: could not be executed (see `error`)
  bool timed_out = false;  // killed at the time limit
  int exit_code = -1;      // when it exited normally
  int signal = 0;          // when a signal ended it (SIGABRT, ...)
  std::string output;      // stdout and stderr, interleaved, the last `output_limit` bytes
  std::string error;       // why it could not start
  bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
};

// Throws nothing for the child's failures; `argv` must not be empty.
process_result run_process(const std::vector<std::string>& argv, double timeout_s,
                           std::size_t output_limit = 1 << 16);

// "exit status 3", "killed by signal 6 (Aborted)", "timed out after 5 s", "could not start: ..."
std::string describe_ending(const process_result& r, double timeout_s);

}  // namespace ridgeline::profiler::counters
