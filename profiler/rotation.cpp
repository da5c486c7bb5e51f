#include "profiler/rotation.hpp"

#include <algorithm>

namespace ridgeline::profiler {

rotation_plan plan_rotation(std::size_t working_set_bytes, std::size_t llc_bytes,
                            std::size_t max_copies) {
  rotation_plan p;
  if (llc_bytes == 0 || working_set_bytes == 0) {
    p.inputs_cold = llc_bytes != 0;
    return p;
  }
  // Cycling through 2x the LLC evicts a copy before it is reused under LRU-like replacement.
  const std::size_t target = 2 * llc_bytes;
  if (working_set_bytes >= target) return p;
  const std::size_t wanted = (target + working_set_bytes - 1) / working_set_bytes;
  p.copies = std::clamp<std::size_t>(wanted, 1, std::max<std::size_t>(max_copies, 1));
  p.inputs_cold = p.copies * working_set_bytes >= target;
  return p;
}

}  // namespace ridgeline::profiler

namespace ridgeline::profiler {

rotation_cache rotation_cache_for(bool host_backend, std::uint64_t device_l2_bytes,
                                  std::uint64_t host_llc_bytes) {
  if (host_backend) return {"host_llc", host_llc_bytes};
  return {"device_l2", device_l2_bytes};
}

}  // namespace ridgeline::profiler
