#pragma once
// The connector's only voice: one line on stderr, prefixed "ridgeline_kp: ", so a user can tell
// it apart from the application's own output (stdout is never written).
#include <string>

namespace ridgeline::kokkos_tools {

void report(const std::string& message);
// The same, the first time this message is seen in the process.
void report_once(const std::string& message);

}  // namespace ridgeline::kokkos_tools
