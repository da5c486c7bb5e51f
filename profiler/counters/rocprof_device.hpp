#pragma once
// Which AMD GPU this machine has, without HIP: the amdgpu driver's KFD topology in sysfs lists one
// node per agent, GPUs with a non-zero `gfx_target_version` (e.g. 90402), which names the ISA the
// metric files match (gfx942). Reading it needs no GPU access rights and no ROCm library.
#include <string>
#include <vector>

namespace ridgeline::profiler::counters {

// "gfx942" from 90402, "gfx90a" from 90010, "gfx1100" from 110000 (major, then minor and stepping
// as one hex digit each). Empty for 0 (a CPU node).
std::string gfx_name(unsigned long target_version);

// The GPU nodes' ISA names under `topology_dir` (/sys/class/kfd/kfd/topology/nodes), in node
// order; empty when the directory is missing or holds no GPU node.
std::vector<std::string> kfd_gpu_targets(const std::string& topology_dir);

}  // namespace ridgeline::profiler::counters
