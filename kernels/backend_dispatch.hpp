#pragma once
// Maps a backend id ("openmp", "serial", "cuda", "hip") to its Kokkos execution space type, so a
// kernel written once as a template runs on whichever spaces this Kokkos build enables.
#include <Kokkos_Core.hpp>
#include <string>

#include "core/error.hpp"

namespace ridgeline::kernels {

template <class Space>
struct backend_id;
#ifdef KOKKOS_ENABLE_SERIAL
template <>
struct backend_id<Kokkos::Serial> {
  static constexpr const char* value = "serial";
};
#endif
#ifdef KOKKOS_ENABLE_OPENMP
template <>
struct backend_id<Kokkos::OpenMP> {
  static constexpr const char* value = "openmp";
};
#endif
#ifdef KOKKOS_ENABLE_CUDA
template <>
struct backend_id<Kokkos::Cuda> {
  static constexpr const char* value = "cuda";
};
#endif
#ifdef KOKKOS_ENABLE_HIP
template <>
struct backend_id<Kokkos::Experimental::HIP> {
  static constexpr const char* value = "hip";
};
#endif

// Calls f(Space{}) for the space named `id`; every branch must return the same type.
template <class F>
auto with_exec_space(const std::string& id, F&& f)
    -> decltype(f(Kokkos::DefaultHostExecutionSpace())) {
#ifdef KOKKOS_ENABLE_SERIAL
  if (id == "serial") return f(Kokkos::Serial());
#endif
#ifdef KOKKOS_ENABLE_OPENMP
  if (id == "openmp") return f(Kokkos::OpenMP());
#endif
#ifdef KOKKOS_ENABLE_CUDA
  if (id == "cuda") return f(Kokkos::Cuda());
#endif
#ifdef KOKKOS_ENABLE_HIP
  if (id == "hip") return f(Kokkos::Experimental::HIP());
#endif
  throw usage_error("--backend: '" + id + "' is not enabled in this Kokkos build");
}

}  // namespace ridgeline::kernels
