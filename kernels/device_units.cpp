#include "kernels/device_units.hpp"

#include <type_traits>

#include "kernels/backend_dispatch.hpp"

#ifdef KOKKOS_ENABLE_CUDA
#include <cuda_runtime.h>
#endif
#ifdef KOKKOS_ENABLE_HIP
#include <hip/hip_runtime_api.h>
#endif

namespace ridgeline::kernels {

device_units query_device_units(const std::string& backend) {
  return with_exec_space(backend, [](auto space) {
    using Space = decltype(space);
    device_units u;
    u.units = space.concurrency() > 0 ? space.concurrency() : 1;
#ifdef KOKKOS_ENABLE_CUDA
    if constexpr (std::is_same<Space, Kokkos::Cuda>::value) {
      cudaDeviceProp prop{};
      if (cudaGetDeviceProperties(&prop, space.cuda_device()) == cudaSuccess) {
        u.gpu = true;
        u.units = prop.multiProcessorCount;
        u.max_threads_per_unit = prop.maxThreadsPerMultiProcessor;
        u.scratch_bytes_per_unit = static_cast<std::int64_t>(prop.sharedMemPerMultiprocessor);
        u.max_teams_per_unit = prop.maxBlocksPerMultiProcessor;
      }
    }
#endif
#ifdef KOKKOS_ENABLE_HIP
    if constexpr (std::is_same<Space, Kokkos::Experimental::HIP>::value) {
      hipDeviceProp_t prop{};
      if (hipGetDeviceProperties(&prop, space.hip_device()) == hipSuccess) {
        u.gpu = true;
        u.units = prop.multiProcessorCount;
        u.max_threads_per_unit = prop.maxThreadsPerMultiProcessor;
        u.scratch_bytes_per_unit = static_cast<std::int64_t>(prop.maxSharedMemoryPerMultiProcessor);
      }
    }
#endif
    return u;
  });
}

}  // namespace ridgeline::kernels
