// Instantiates the MoE stages for f32 on every enabled execution space.
#include "kernels/backend_dispatch.hpp"
#include "kernels/moe/moe_instance.hpp"

namespace ridgeline::kernels {

prepare_outcome prepare_moe_f32(const moe_shape& s, const moe_launch_request& r,
                                const launch_context& ctx) {
  return detail::prepare_moe<float>(s, r, ctx);
}

}  // namespace ridgeline::kernels
