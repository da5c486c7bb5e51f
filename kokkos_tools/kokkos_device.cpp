#include "kokkos_tools/kokkos_device.hpp"

namespace ridgeline::kokkos_tools {

namespace {
const char* const names[] = {"Serial",       "OpenMP", "Cuda",    "HIP",
                             "OpenMPTarget", "HPX",    "Threads", "SYCL"};
const bool host[] = {true, true, false, false, false, true, true, false};
}  // namespace

bool is_host_backend(const std::string& backend) {
  for (std::size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    if (backend == names[i]) return host[i];
  }
  return false;
}

kokkos_device device_of(std::uint32_t dev_id) {
  const std::uint32_t type = dev_id >> 24;
  kokkos_device d;
  d.instance = dev_id & 0xffffffu;
  if (type < sizeof names / sizeof names[0]) {
    d.backend = names[type];
    d.host = host[type];
  } else {
    d.backend = "Unknown";
    d.host = false;
  }
  return d;
}

}  // namespace ridgeline::kokkos_tools
