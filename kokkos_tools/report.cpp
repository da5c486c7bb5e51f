#include "kokkos_tools/report.hpp"

#include <cstdio>
#include <mutex>
#include <set>

namespace ridgeline::kokkos_tools {

void report(const std::string& message) {
  // One fputs per line: lines from several threads never interleave mid-line.
  const std::string line = "ridgeline_kp: " + message + "\n";
  std::fputs(line.c_str(), stderr);
}

void report_once(const std::string& message) {
  static std::mutex mutex;
  static std::set<std::string> seen;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (!seen.insert(message).second) return;
  }
  report(message);
}

}  // namespace ridgeline::kokkos_tools
