#pragma once
// The user's statement of the work one invocation of an application kernel does, read from the
// file $RIDGELINE_KP_WORK names. An application's kernels have no work model in Ridgeline, so this
// file is what lets the connector place them on the roofline without counters. Format (YAML, one
// document, read by core/strict_yaml.hpp):
//
//   kernels:
//     "my_app::triad":   # the Kokkos label, exactly as the kernel is launched
//       flops: 2000000   # FLOPs per invocation (non-negative integer; 2e6 is fine)
//       precision: f64   # of those FLOPs (f64, f32, f16, bf16, ...): picks the compute roof
//       unit: simt       # simt (default) or tensor
//       bytes: 48000000  # minimal DRAM bytes per invocation, or a map {dram: N, l2: M}
//
// Every kernel states flops, bytes or both. Unknown and repeated keys are errors, so a typo never
// silently drops a number and a second entry never silently replaces the first.
#include <map>
#include <string>

#include "profiler/work_model.hpp"

namespace ridgeline::kokkos_tools {

struct kernel_work {
  profiler::work_model work;  // per invocation
  std::string dtype;          // the FLOPs' precision ("" when the kernel states bytes only)
};

using work_table = std::map<std::string, kernel_work>;  // Kokkos label -> work

// Throws usage_error "PATH:LINE: kernels.LABEL.FIELD: what is wrong" (one line) for a file that
// is not YAML or does not follow the format above; "PATH: cannot open work file" for one that
// cannot be read.
work_table read_work_file(const std::string& path);

// The same from text; `path` only names the source in messages.
work_table parse_work_file(const std::string& text, const std::string& path);

}  // namespace ridgeline::kokkos_tools
