#pragma once
// How many copies of a kernel's buffers to cycle through so that each launch finds its inputs in
// DRAM, not in the last-level cache left warm by the previous launch (a 2048^2 f32 GEMM's 48 MiB
// would not need it; a 256^2 one's 768 KiB would run from cache and report impossible bandwidth).
#include <cstddef>
#include <cstdint>
#include <string>

namespace ridgeline::profiler {

struct rotation_plan {
  std::size_t copies = 1;
  bool inputs_cold = true;  // false when even `copies` copies fit in twice the LLC (tiny problems)
};

// working_set_bytes: bytes one launch touches; llc_bytes: last-level cache size (0 = unknown, no
// rotation); max_copies caps the allocation for tiny problems, which then stay cache-resident.
rotation_plan plan_rotation(std::size_t working_set_bytes, std::size_t llc_bytes,
                            std::size_t max_copies = 256);

// The cache a rotation is sized against: the last cache before DRAM *of the device that runs the
// launches*. On a GPU that is its L2 (an H100's or H200's 50 MiB), never the host's LLC, which the
// GPU's launches do not go through: sizing against the host's would rotate the wrong amount (an
// EPYC's 384 MiB of L3 would multiply a GPU's allocation for nothing; a laptop's 8 MiB would leave
// a 40 MiB GEMM warm in a 50 MiB L2).
struct rotation_cache {
  std::string name;         // "device_l2" (a GPU's L2) or "host_llc" (CPU backends)
  std::uint64_t bytes = 0;  // 0: unknown, so nothing is rotated and nothing is claimed cold
};

// host_backend: the execution space runs on the CPU (its device_l2_bytes are then ignored);
// device_l2_bytes: the GPU's L2 as its runtime reports it (cudaDeviceProp::l2CacheSize,
// hipDeviceProp_t::l2CacheSize), 0 when it did not say.
rotation_cache rotation_cache_for(bool host_backend, std::uint64_t device_l2_bytes,
                                  std::uint64_t host_llc_bytes);

}  // namespace ridgeline::profiler
