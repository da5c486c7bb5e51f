#pragma once
// How many copies of a kernel's buffers to cycle through so that each launch finds its inputs in
// DRAM, not in the last-level cache left warm by the previous launch (a 2048^2 f32 GEMM's 48 MiB
// would not need it; a 256^2 one's 768 KiB would run from cache and report impossible bandwidth).
#include <cstddef>

namespace ridgeline::profiler {

struct rotation_plan {
  std::size_t copies = 1;
  bool inputs_cold = true;  // false when even `copies` copies fit in twice the LLC (tiny problems)
};

// working_set_bytes: bytes one launch touches; llc_bytes: last-level cache size (0 = unknown, no
// rotation); max_copies caps the allocation for tiny problems, which then stay cache-resident.
rotation_plan plan_rotation(std::size_t working_set_bytes, std::size_t llc_bytes,
                            std::size_t max_copies = 256);

}  // namespace ridgeline::profiler
