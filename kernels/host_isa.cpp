#include "kernels/host_isa.hpp"

#include "kernels/host_simd.hpp"

namespace ridgeline::kernels {

host_vector_isa kernels_host_isa() {
#if defined(RIDGELINE_HOST_SIMD)
  return {simd::isa, simd::vector_bytes, simd::vector_registers};
#else
  return {};
#endif
}

}  // namespace ridgeline::kernels
