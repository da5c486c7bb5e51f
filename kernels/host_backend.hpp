#pragma once
// For variants whose launch is plain host code (the reference oracles, OpenBLAS): prepare only on
// execution spaces whose memory the host can address, refuse the others before allocating.
#include <Kokkos_Core.hpp>
#include <string>

#include "kernels/backend_dispatch.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

// make(space) on the space named `backend` when it is host-accessible, else an invalid outcome
// "<who> runs on host backends only".
template <class Make>
prepare_outcome prepare_on_host_backend(const std::string& backend, const std::string& who,
                                        Make&& make) {
  return with_exec_space(backend, [&](auto space) -> prepare_outcome {
    using memory = typename decltype(space)::memory_space;
    if constexpr (!Kokkos::SpaceAccessibility<Kokkos::HostSpace, memory>::accessible) {
      return {nullptr, who + " runs on host backends only"};
    } else {
      return make(space);
    }
  });
}

}  // namespace ridgeline::kernels
