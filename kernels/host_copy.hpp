#pragma once
// Whole-view copies between a device view and a host vector, for checks and host-drawn inputs.
// Unmanaged host views over the vector's storage: no mirror allocation, one deep_copy each way.
#include <Kokkos_Core.hpp>
#include <vector>

namespace ridgeline::kernels {

template <class View>
std::vector<typename View::non_const_value_type> to_host(const View& v) {
  using value = typename View::non_const_value_type;
  std::vector<value> out(v.extent(0));
  Kokkos::View<value*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> dst(out.data(),
                                                                                       out.size());
  Kokkos::deep_copy(dst, v);
  return out;
}

template <class View>
void to_device(const View& v, const std::vector<typename View::non_const_value_type>& data) {
  using value = typename View::non_const_value_type;
  Kokkos::View<const value*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>> src(
      data.data(), data.size());
  Kokkos::deep_copy(v, src);
}

}  // namespace ridgeline::kernels
