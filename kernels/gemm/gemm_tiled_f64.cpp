// Instantiates the tiled GEMM for f64 on every enabled execution space.
#include "kernels/gemm/gemm_prepare.hpp"
#include "kernels/gemm/gemm_variants.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_gemm_tiled_f64(const gemm_shape& s, const gemm_tiled_config& c,
                                       const launch_context& ctx) {
  return detail::prepare_tiled<double>(s, c, ctx);
}

std::string gemm_tiled_launch_limit_f64(const gemm_tiled_config& c, const std::string& backend) {
  return with_exec_space(backend, [&](auto space) {
    return detail::gemm_tiled_limits<double, decltype(space)>(c);
  });
}

}  // namespace ridgeline::kernels
