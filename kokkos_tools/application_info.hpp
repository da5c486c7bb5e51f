#pragma once
// The process the connector was loaded into: Kokkos passes the tool no command line (only the
// --kokkos-tools-args string), so it is read from /proc/self.
#include <string>
#include <vector>

namespace ridgeline::kokkos_tools {

struct application_info {
  std::string path;                  // the executable (/proc/self/exe), else argv[0]
  std::vector<std::string> args;     // argv[1..]
  std::string command_line() const;  // argv joined by spaces, arguments with spaces quoted
};

application_info this_application();

}  // namespace ridgeline::kokkos_tools
