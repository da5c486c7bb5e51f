#pragma once
// What the `devID` argument of kokkosp_begin_parallel_* says. Kokkos (>= 3.3, checked in 3.4.01's
// impl/Kokkos_Profiling_Interface.hpp) packs it as (DeviceType << 24) + instance id, with
// DeviceType in the order Serial, OpenMP, Cuda, HIP, OpenMPTarget, HPX, Threads, SYCL, Unknown.
// Sharp edge: Kokkos 3.4 launches View initialization kernels with devID 0 (Serial) whatever space
// runs them.
#include <cstdint>
#include <string>

namespace ridgeline::kokkos_tools {

struct kokkos_device {
  std::string backend;  // the Kokkos execution space name: "OpenMP", "Cuda", ...; "Unknown"
  bool host = true;     // runs on the CPU (Serial, OpenMP, HPX, Threads)
  std::uint32_t instance = 0;
};

kokkos_device device_of(std::uint32_t dev_id);

// Whether the execution space of this name (kokkos_device::backend) runs on the CPU.
bool is_host_backend(const std::string& backend);

}  // namespace ridgeline::kokkos_tools
